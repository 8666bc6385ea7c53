/** The options of a select, one per entry of a words record (value → what the reader sees). */
export function Options({ words }: { words: Readonly<Record<string, string>> }) {
  return (
    <>
      {Object.entries(words).map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </>
  );
}
