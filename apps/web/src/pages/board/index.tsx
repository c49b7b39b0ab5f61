export default function BoardPage() {
  return <h1>board</h1>;
}
