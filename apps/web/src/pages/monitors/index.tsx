export default function MonitorsPage() {
  return <h1>monitors</h1>;
}
