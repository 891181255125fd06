import { Fragment } from 'react';

/**
 * The engine's advice and evidence mark commands and filters with backticks (`client set …`), which
 * read as stray markup on a page: a balanced pair becomes <code>, an odd one is left as typed.
 */
export function CodeText({ text }: { text: string }) {
  const parts = codeParts(text);
  if (!parts) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}
    </>
  );
}

/** `text` split at its backticks (odd parts are code), or undefined when they do not pair. */
function codeParts(text: string): string[] | undefined {
  const parts = text.split('`');
  return parts.length < 3 || parts.length % 2 === 0 ? undefined : parts;
}

/** The same text where only plain text shows (a hover `title`): paired backticks dropped, an odd one left as typed. */
export function plainText(text: string): string {
  return codeParts(text)?.join('') ?? text;
}
