export default function SigninPage() {
  return <h1>signin</h1>;
}
