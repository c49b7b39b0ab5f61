export default function KpisPage() {
  return <h1>kpis</h1>;
}
