/**
 * Browser mode opened without its session token, or with a wrong one (an old URL from a
 * previous start, a bookmark, a mistyped address): the server refuses every call, so the
 * page says so at once and where the right address is, instead of waiting for answers
 * that never come.
 */
export function TokenProblemPage({ problem }: { problem: 'missing' | 'wrong' }) {
  const port = window.location.port || '8443';
  return (
    <main className="token-problem" aria-labelledby="token-problem-title">
      <h1 id="token-problem-title">{problem === 'missing' ? 'This address has no session token' : 'The session token in this address is wrong'}</h1>
      <p>
        KeyDesk answers only the page opened with the address it printed when it started, token included.
        {problem === 'wrong' && ' This one is from another start of KeyDesk, or was mistyped.'}
      </p>
      <p>On the machine running KeyDesk, find the line that <code>keydesk -ui -serve</code> printed, and open that whole address:</p>
      <pre className="token-problem-line">KeyDesk UI: http://127.0.0.1:{port}/?token=…</pre>
      <p>
        No longer have it? Stop KeyDesk (Ctrl+C) and start it again with <code>bin/keydesk -ui -serve -port {port}</code>: it prints a new address with a
        new token.
      </p>
    </main>
  );
}
