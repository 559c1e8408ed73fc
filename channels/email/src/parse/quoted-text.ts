/**
 * Where the quoted history of a reply starts, found line by line. Shared by plain-text bodies and by
 * the text of HTML bodies (quoted-html.ts runs the same patterns over the HTML's lines).
 *
 * - `attribution`: "On … wrote:" (Gmail, Apple Mail, Outlook for Mac/iOS, Thunderbird), Persian Gmail
 *   "در تاریخ … نوشت:", and the French, German, Spanish, Portuguese, Italian, Dutch and Arabic forms;
 *   Gmail wraps a long attribution over up to four lines.
 * - `original-message`: Outlook's "-----Original Message-----" (and its translations).
 * - `header-block`: Outlook's "From: … / Sent: … / To: … / Subject: …" block, with the underscore
 *   separator line above it when there is one.
 * - `quoted-lines`: a trailing block of "> " lines, with an attribution-looking line just above it.
 */
export type QuoteMarkerKind = 'attribution' | 'original-message' | 'header-block' | 'quoted-lines';

export interface QuoteMarker {
  kind: QuoteMarkerKind;
  /** The first line of the quoted history. */
  start: number;
  /** The line after the marker itself (an attribution or a header block spans several lines). */
  end: number;
}

// Bidi embedding marks, zero-width spaces and BOMs that clients put around RTL attributions. The
// zero-width non-joiner (U+200C) stays: it is part of Persian words.
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A line as the patterns see it: no invisible marks, spaces collapsed, Arabic yeh/kaf as Persian. */
export function normaliseLine(line: string): string {
  return line.replace(INVISIBLE, '').replace(/\s+/g, ' ').replace(/ي/g, 'ی').replace(/ك/g, 'ک').trim();
}

const ATTRIBUTIONS: readonly RegExp[] = [
  /^On .{1,400} wrote ?:$/i,
  /^Le .{1,400} a écrit ?:$/i,
  /^Am .{1,400} schrieb .{0,300}:$/i,
  /^El .{1,400} escribió ?:$/i,
  /^Em .{1,400} escreveu ?:$/i,
  /^Il .{1,400} ha scritto ?:$/i,
  /^Op .{1,400} schreef .{0,300}:$/i,
  /^در تاریخ .{1,400} نوشت ?:$/,
  /^فی .{1,400} کتب .{0,300}:$/,
];
const ORIGINAL_MESSAGE =
  /^-{2,} ?(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Mensagem original|Originalmeddelande|پیام اصلی|الرسالة الأصلیة) ?-{2,}$/i;
const SEPARATOR = /^(?:_{5,}|-{5,})$/;
const FIELD_FROM = /^(?:From|Von|De|Van|Da|Od|Från|Fra|از) ?:/i;
const FIELD_DATE = /^(?:Sent|Date|Envoyé|Gesendet|Datum|Enviado|Fecha|Verzonden|Inviato|Data|Wysłano|Skickat|Sendt|ارسال شده|ارسال|تاریخ) ?:/i;
const FIELD_SUBJECT = /^(?:Subject|Betreff|Objet|Asunto|Onderwerp|Oggetto|Assunto|Temat|Ämne|Emne|موضوع) ?:/i;
const LOOSE_ATTRIBUTION = /(?:@|wrote|schrieb|écrit|escribió|escreveu|scritto|schreef|نوشت|کتب).{0,120}:$/i;
const SIGNATURE_DELIMITER = /^-- ?$/;

const FORWARD_MARKERS: readonly RegExp[] = [
  /^-{3,} ?(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht|Mensagem encaminhada|Vidarebefordrat meddelande) ?-{3,}$/i,
  /^-{3,} ?پیام (?:هدایت|بازارسال|ارسال)[\s\u200c]*شده ?-{3,}$/,
  /^(?:Begin forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado|Inizio messaggio inoltrato) ?:$/i,
];

const isQuoted = (line: string) => /^>/.test(line.replace(INVISIBLE, '').trimStart());

/** A forwarded-message marker line: Gmail's "---------- Forwarded message ---------", Apple's "Begin forwarded message:". */
export function isForwardMarker(line: string): boolean {
  const clean = normaliseLine(line);
  return FORWARD_MARKERS.some((pattern) => pattern.test(clean));
}

/** The text starts with a "From:" field, as Outlook's header block does (bold markers and all). */
export function startsWithFromField(text: string): boolean {
  return FIELD_FROM.test(normaliseLine(text.split('\n')[0]).replace(/\*/g, '').trim());
}

/** Lines prepared once: normalised for the patterns, and whether each is a "> " line. */
interface Lines {
  raw: readonly string[];
  clean: readonly string[];
  quoted: readonly boolean[];
}

function prepare(raw: readonly string[]): Lines {
  return { raw, clean: raw.map(normaliseLine), quoted: raw.map(isQuoted) };
}

/** How many lines an attribution such as "On … wrote:" starting at `at` spans, or 0. */
function attributionAt(lines: Lines, at: number): number {
  if (lines.quoted[at] || !lines.clean[at]) return 0;
  let joined = '';
  for (let span = 1; span <= 4 && at + span - 1 < lines.raw.length; span++) {
    const next = at + span - 1;
    if (span > 1 && (!lines.clean[next] || lines.quoted[next])) break;
    joined = span === 1 ? lines.clean[next] : `${joined} ${lines.clean[next]}`;
    if (joined.length > 600) break;
    if (ATTRIBUTIONS.some((pattern) => pattern.test(joined))) return span;
  }
  return 0;
}

/** How many lines an Outlook-style "From: / Sent: / Subject:" block starting at `at` spans, or 0. */
function headerBlockAt(lines: Lines, at: number): number {
  const first = lines.clean[at].replace(/\*/g, '').trim();
  if (first.length < 6 || !FIELD_FROM.test(first)) return 0;
  let date = false;
  let subject = false;
  for (let next = at + 1; next < Math.min(lines.raw.length, at + 9); next++) {
    const line = lines.clean[next].replace(/\*/g, '').trim();
    if (FIELD_DATE.test(line)) date = true;
    if (FIELD_SUBJECT.test(line)) subject = true;
    if (date && subject) return next - at + 1;
  }
  return 0;
}

/**
 * Every place the quoted history could start, earliest first. An attribution followed by an
 * interleaved answer ("> question" / "answer" / "> question" / "answer") is not one: cutting there
 * would hide the answers. `quotedLines: false` leaves out the trailing "> " rule (HTML has real quotes).
 */
export function findQuoteMarkers(raw: readonly string[], options: { quotedLines?: boolean } = {}): QuoteMarker[] {
  const lines = prepare(raw);
  const markers: QuoteMarker[] = [];
  const answers = answersFollow(lines);
  for (let at = 0; at < raw.length; at++) {
    const clean = lines.clean[at];
    if (!clean || lines.quoted[at]) continue;
    const attribution = attributionAt(lines, at);
    if (attribution && !answers[at + attribution]) {
      markers.push({ kind: 'attribution', start: at, end: at + attribution });
      continue;
    }
    if (ORIGINAL_MESSAGE.test(clean)) {
      markers.push({ kind: 'original-message', start: at, end: at + 1 });
      continue;
    }
    const block = headerBlockAt(lines, at);
    if (block) {
      const above = at > 0 && SEPARATOR.test(lines.clean[at - 1]) ? at - 1 : at;
      markers.push({ kind: 'header-block', start: above, end: at + block });
    }
  }
  if (options.quotedLines !== false) {
    const trailing = trailingQuotedLines(lines);
    if (trailing) markers.push(trailing);
  }
  return markers.sort((a, b) => a.start - b.start);
}

/** The reply without its quoted history: null when there is no history, or nothing but history. */
export function splitQuotedText(text: string): { fresh: string; quoted: string } | null {
  const lines = text.split('\n');
  const marker = findQuoteMarkers(lines)[0];
  if (!marker) return null;
  const fresh = lines.slice(0, marker.start).join('\n').trim();
  const quoted = lines.slice(marker.start).join('\n').trim();
  return fresh && quoted ? { fresh, quoted } : null;
}

/**
 * The body is a forward: a forwarded-message marker comes before any quoted history (a note above
 * it is fine), or an Outlook header block / "-----Original Message-----" is the very first thing.
 */
export function startsWithForward(text: string): boolean {
  const lines = text.split('\n');
  const first = findQuoteMarkers(lines)[0];
  const forward = lines.findIndex((line) => !isQuoted(line) && isForwardMarker(line));
  if (forward !== -1 && (!first || forward <= first.start)) return true;
  const top = lines.findIndex((line) => normaliseLine(line) !== '');
  return !!first && first.start === top && (first.kind === 'header-block' || first.kind === 'original-message');
}

/**
 * For each line: does an answer follow it, i.e. a quoted line and then an unquoted one, before any
 * signature delimiter? One backward pass, so a mail full of attributions stays linear.
 */
function answersFollow(lines: Lines): boolean[] {
  const answers = new Array<boolean>(lines.raw.length + 1).fill(false);
  let textAfter = false;
  for (let at = lines.raw.length - 1; at >= 0; at--) {
    if (SIGNATURE_DELIMITER.test(lines.raw[at].trimEnd())) {
      textAfter = false;
      answers[at] = false;
    } else if (lines.quoted[at]) {
      answers[at] = textAfter || answers[at + 1];
    } else {
      answers[at] = answers[at + 1];
      if (lines.clean[at]) textAfter = true;
    }
  }
  return answers;
}

function trailingQuotedLines(lines: Lines): QuoteMarker | null {
  // Lines from `run` on are all blank or quoted; the line before `run` is the last line of the answer.
  const count = lines.raw.length;
  let run = count;
  while (run > 0 && (!lines.clean[run - 1] || lines.quoted[run - 1])) run--;
  let first = run;
  while (first < count && !lines.clean[first]) first++;
  if (first >= count) return null;
  const last = run > 0 ? lines.clean[run - 1] : '';
  const attribution = last.length <= 300 && LOOSE_ATTRIBUTION.test(last);
  return { kind: 'quoted-lines', start: attribution ? run - 1 : first, end: first };
}
