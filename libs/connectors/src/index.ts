// Connectors: one folder per source (email, chat, twitter, forums, facebook).
export {};
