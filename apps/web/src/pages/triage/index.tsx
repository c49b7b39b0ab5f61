export default function TriagePage() {
  return <h1>triage</h1>;
}
