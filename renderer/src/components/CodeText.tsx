import { Fragment } from 'react';

/**
 * The engine's advice and evidence mark commands and filters with backticks (`client set …`), which
 * read as stray markup on a page: a balanced pair becomes <code>, an odd one is left as typed.
 */
export function CodeText({ text }: { text: string }) {
  const parts = text.split('`');
  if (parts.length < 3 || parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}
    </>
  );
}
