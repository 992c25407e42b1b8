export function App() {
  return (
    <main>
      <h1>wf console</h1>
    </main>
  )
}
