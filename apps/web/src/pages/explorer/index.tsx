export default function ExplorerPage() {
  return <h1>explorer</h1>;
}
