// The slow tier's tests generate thousands of cases or drive a browser: 15 minutes each at most.
jest.setTimeout(900_000);
