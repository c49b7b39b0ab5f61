export default function SourcesPage() {
  return <h1>sources</h1>;
}
