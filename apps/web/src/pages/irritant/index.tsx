export default function IrritantPage() {
  return <h1>irritant</h1>;
}
