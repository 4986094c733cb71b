/**
 * The chapter model: what bookrun understands of a chapter written the way authors of hands-on
 * DevOps books write them (Leanpub Markdown with `bash` blocks, `# If EKS` comments, pasted output…).
 *
 * Everything here is plain data (JSON-serialisable), produced by the pure `parseChapter` and
 * `planChapter`, consumed by the runner, the exporters, the linter and the site.
 */

/** How serious a diagnostic is. `error` fails `bookrun lint` and blocks `bookrun export` without `--draft`. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the author's Markdown: a message, never an exception. Lines and columns are 1-based. */
export interface Diagnostic {
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  /** Optional end of the span, for editors. */
  endLine?: number;
}

/** A `# If EKS` / `# If not EKS` / `# Only if serverless` / aside-derived condition on a command. */
export interface Condition {
  /** The source text that produced it (`# If EKS or AKS`, or the aside sentence). */
  source: string;
  /** Line of the comment or aside. */
  line: number;
  negate: boolean;
  /** How `tokens` combine: any one of them (`or`) or all of them (`and`). */
  op: 'or' | 'and';
  /** Normalised tokens, lower case (`eks`, `serverless`, `already cloned`). */
  tokens: string[];
  /** Tokens that are not a value of any dimension of the book's matrix (after aliases). */
  unknown: string[];
  /** Canonical text, as in the plan JSON: `eks`, `not eks`, `eks or aks`. */
  text: string;
}

/** Expected output of a step: a fence after the block, or output pasted inside the block. */
export interface Expect {
  /** Line of the opening fence (fence) or of the first pasted line (pasted). */
  line: number;
  /** The expected text, exactly as written (no fence lines). */
  text: string;
  /** The fence language (`yaml`, `json`, `text`, or null for a bare fence / pasted output). */
  lang: string | null;
  source: 'fence' | 'pasted';
  /**
   * Innovation Engine's `<!-- expected_similarity=0.8 -->`: the share (0–1) of the expected lines that must
   * appear, in order, in the actual output. Absent: every expected line must.
   */
  similarity?: number;
  /** Innovation Engine's `<!-- expected_similarity="regex" -->`: the actual output must match this regular expression. */
  pattern?: string;
}

/**
 * Annotations for what prose cannot say, written as one comment line inside a shell block:
 *
 *     # bookrun: until=/deployment .* successfully rolled out/ timeout=2m capture=VERSION:/version: (\S+)/ skip="needs a browser" exit=1
 *
 * An annotation line applies to the next command of the block (to the previous one when no command
 * follows). Values: `/regex/` (JavaScript syntax), `"quoted text"`, or a bare word; durations as `30s`,
 * `2m`, `1h`, `500ms`. Readers never see these lines: the site, the gists and the manuscript strip them.
 */
export interface Annotations {
  /** Watch: stop (as ctrl+c would) once the output matches this regular expression. */
  until?: string;
  /** Capture placeholders from this step's output: NAME → regular expression with one group (or whole match). */
  capture?: Record<string, string>;
  /** Step timeout, milliseconds. */
  timeoutMs?: number;
  /** Skip in automation (the reader still sees and runs it). */
  skip?: boolean;
  /** Free-form reason shown in reports when skipped. */
  skipReason?: string;
  /** Expected exit status when it is not 0. */
  exitCode?: number;
  /** A name for the step or its block (Runme's `name`, txm's test name), shown in plans and reports. */
  name?: string;
  /** Labels of the block (mdrip's `<!-- @label -->`). */
  labels?: string[];
  /**
   * The folder the command runs in (Runme's `cwd`), relative to where the run started: the command runs in a
   * subshell there, so it does not move the reader's shell (and variables it sets do not outlive it).
   */
  cwd?: string;
  /**
   * `teardown`: the step deletes what the chapter created (as the steps of a "What Now?" or "Cleaning Up"
   * section do): it runs after a failure too, unless `--no-teardown`.
   */
  teardown?: boolean;
  /**
   * `input="y"`: what to type (then Enter) each time the command waits for keyboard input. Given more than once,
   * the replies are typed in order, the last one again for every later wait.
   */
  input?: string[];
}

/**
 * A file the reader writes in an editor (`vim secret.yml` followed by a block with the file's content).
 * Headless, bookrun writes it as a reader's shell would (`cat > FILE <<'EOF'` with the content) and never
 * starts the editor.
 */
export interface FileEdit {
  /** The file, as the command names it. */
  file: string;
  /** The editor command (`vim`, `nano`, `code`). */
  editor: string;
  /** Line of the opening fence of the block that shows the content. */
  line: number;
  /** The content, exactly as shown (no fence lines). */
  text: string;
}

/**
 * A command that starts an interactive shell elsewhere (`kubectl exec -it … -- sh`, `minikube ssh`,
 * `docker run -it … sh`), or a command meant to be typed inside one. A headless run cannot type into it:
 * it fails at the opener with that reason instead of waiting for it to end.
 */
export interface NestedShell {
  role: 'opens' | 'inside';
  /** How the shell is opened, as readers know it: `kubectl exec -it`, `minikube ssh`, `docker run -it`. */
  via: string;
  /** Id of the step that opens it. */
  opener: string;
}

/** What makes a step a watch: a `--watch`-like flag, or a "Press ctrl+c" instruction. */
export type WatchReason = 'flag' | 'ctrl-c' | 'prose';

/** One command of a chapter: the unit bookrun plans, runs, exports and shows. */
export interface Step {
  /** Stable within one version of the chapter: `L<line>`. */
  id: string;
  /** 1-based line of the command's first source line in the chapter file. */
  line: number;
  /** Last source line of the command (heredoc terminators and `\` continuations included). */
  endLine: number;
  /** The exact source text, every line of it. */
  command: string;
  /** Index into `Chapter.blocks`. */
  block: number;
  /** Title of the `##` section it sits in (null before the first). */
  section: string | null;
  condition: Condition | null;
  /** 1 for the reader's main terminal, 2 for "a second terminal". */
  terminal: number;
  watch: boolean;
  watchReason: WatchReason | null;
  /** Re-run while the output contains this text (`# Repeat if \`no healthy upstream\``). */
  retryWhile: string | null;
  /** Re-run until the expected output matches (`# After a few minutes`, `# Wait until …`). */
  eventually: boolean;
  /** Placeholders this command assigns (`VERSION=[...]`). */
  placeholders: string[];
  /** Placeholder names this command reads (`$VERSION`), among the chapter's placeholders. */
  uses: string[];
  expect: Expect | null;
  annotations: Annotations;
  /** Plain comments directly above the command (not annotations), in order, without `#`. */
  comments: string[];
  /** Present when the command opens an editor on a file the chapter shows (see {@link FileEdit}). */
  edit?: FileEdit;
  /** Present when the command opens a nested shell, or is meant inside one (see {@link NestedShell}). */
  nestedShell?: NestedShell;
}

/** A fenced or indented code block. */
export interface Block {
  index: number;
  /** Line of the opening fence. */
  line: number;
  /** Line of the closing fence (or the last line when the fence was left open). */
  endLine: number;
  /** First and last line of the content. */
  contentLine: number;
  lang: string | null;
  /** The Leanpub attribute line above the fence (`{lang="bash"}`), if any. */
  attributes: { line: number; text: string; values: Record<string, string> } | null;
  shell: boolean;
  /** A `$ `-prompt transcript: what follows `$ ` is typed, the other lines are what the terminal printed. */
  transcript: boolean;
  /** For non-shell blocks: the step whose expected output this is, or null when it is content. */
  outputOf: string | null;
  /** For non-shell blocks: the step whose editor writes this content into a file (see {@link FileEdit}). */
  fileOf: string | null;
  /** What another tool's markup says of the block (Runme fence attributes, mdrip, txm, Innovation Engine comments). */
  tool: BlockTool | null;
  /** True when the closing fence is missing. */
  open: boolean;
  value: string;
}

/** Annotations of other tools that apply to a whole block, read so a chapter keeps working when it moves to bookrun. */
export interface BlockTool {
  tool: 'runme' | 'mdrip' | 'txm' | 'innovation-engine';
  /** Line of the fence attributes or of the (first) comment. */
  line: number;
  /**
   * What the tool says the block is: commands to run, the expected output of the command before it (of the
   * txm test `test`), or content that is not run. Null: the tool does not say.
   */
  role: 'commands' | 'output' | 'content' | null;
  /** Annotations for every command of the block (`# bookrun:` lines inside it win). */
  annotations: Annotations;
  /** Runme's `background: true`: the block runs in terminal 2, beside the reader's first terminal. */
  terminal: number | null;
  /** The txm test the block belongs to (`<!-- !test in greet -->` … `<!-- !test out greet -->`). */
  test: string | null;
  /** Innovation Engine's similarity or pattern for an output block. */
  expect: Pick<Expect, 'similarity' | 'pattern'> | null;
}

export type NoteKind = 'todo' | 'note';

/** An author note: `TODO:`/`NOTE:` prose, `# TODO:` comments, links to `TODO`, a `Figure 17-TODO` figure. */
export interface Note {
  kind: NoteKind;
  line: number;
  text: string;
  where: 'prose' | 'comment' | 'link' | 'figure';
}

export interface ChecklistItem {
  text: string;
  checked: boolean;
  line: number;
}

export type AsideKind = 'A' | 'B' | 'W' | 'T' | 'E' | 'I' | 'Q' | 'D' | 'X' | 'G' | 'C';

export interface Aside {
  kind: AsideKind;
  line: number;
  endLine: number;
  /** The text without the `X> ` prefixes. */
  text: string;
  /** When the aside says "run the commands that follow only if you are using **EKS**". */
  condition: Condition | null;
}

export interface Heading {
  depth: number;
  /** The heading as readers read it (code spans and emphasis without their marks, no `{#id}`). */
  text: string;
  /** The heading as written, code spans and emphasis marks included (no `{#id}`): what case rules look at. */
  written: string;
  line: number;
  /** `{#id}` on the heading line or on the line above. */
  id: string | null;
}

/** A link in the chapter's prose (never in code), from the Markdown tree. */
export interface Link {
  url: string;
  /** The link text as written (between `[` and `]`). */
  text: string;
  /** 1-based line and column of the `[` that opens it. */
  line: number;
  column: number;
  /** Line and column (1-based) just after its closing `)`. */
  endLine: number;
  endColumn: number;
  /**
   * How it was read: a CommonMark link (`[x](url)`, or `[x][ref]` with its definition), or text that only
   * looks like one because the target has spaces (`[TODO: Viktor](TODO: Viktor)`, an author's placeholder).
   */
  kind: 'link' | 'reference' | 'placeholder';
}

/** An image the chapter's prose shows, as written. */
export interface ImageRef {
  line: number;
  column: number;
  /** The caption (alt text) as written: `Figure 17-1: The flow of a request`. */
  caption: string;
  ref: string;
  /** Whether `ref` is a remote URL (not copied into the manuscript). */
  remote: boolean;
}

/**
 * A figure of the chapter: an image alone in its paragraph, or a diagram drawn as code (a ```` ```mermaid ````
 * fence). Figures are numbered per chapter in document order, as the genre writes them (`Figure 17-3: …`).
 */
export interface Figure {
  kind: 'image' | 'diagram';
  /** Line of the image (its `!`) or of the diagram's opening fence. */
  line: number;
  /** Its place among the chapter's figures, from 1: the M of `Figure NN-M`. */
  index: number;
  /** The label readers see: `Figure 17-3`, or `Figure 3` when the chapter's number is not known. */
  label: string;
  /** The caption after the label (`The flow of a request`), as written; '' when there is none. */
  caption: string;
  /**
   * Where the caption was written: a Leanpub `{caption: "…"}` attribute line above the fence or image, the
   * image's alt text, or a `Figure NN-M: …` line right after the diagram's fence. Null: no caption.
   */
  captionFrom: { kind: 'attribute' | 'alt' | 'text'; line: number } | null;
  /** The number as the author wrote it (`Figure 17-3` → 17 and 3, `Figure 17-TODO` → 17 and `TODO`); null when not written. */
  written: { chapter: number | null; number: number | 'TODO' } | null;
  /** A draft figure: `Figure 17-TODO`, or a caption that is an author note (`TODO`). */
  todo: boolean;
  /** Images: the reference as written (`images/ch17/flow.png`). */
  ref: string | null;
  /** Diagrams: the index of the fence in `Chapter.blocks`. */
  block: number | null;
}

export interface Placeholder {
  name: string;
  line: number;
  /** The step that assigns it. */
  step: string;
  /** The sentence or comment that explains it ("replace `[...]` with your GitHub user"), when found. */
  description: string | null;
}

/** A parsed chapter: every step with its conditions, for every variant. */
export interface Chapter {
  file: string;
  /** The source text's lines (index 0 = line 1), for exporters that rewrite line by line. */
  lines: string[];
  /**
   * Source lines readers never see in published output: author notes (prose `TODO:`/`NOTE:` paragraphs and
   * `# TODO:` / `# NOTE:` comments), `# bookrun:` annotations and the `## TODO` checklist section.
   */
  hidden: Array<{ line: number; endLine: number; kind: 'note' | 'annotation' | 'checklist' }>;
  title: string;
  titleLine: number;
  blocks: Block[];
  steps: Step[];
  placeholders: Placeholder[];
  notes: Note[];
  checklist: ChecklistItem[];
  /** Line of the `## TODO` heading and the last line of its section, when present. */
  checklistSection: { line: number; endLine: number } | null;
  asides: Aside[];
  headings: Heading[];
  links: Link[];
  /** Images in the prose, in order. */
  images: ImageRef[];
  /** Figures (images alone in their paragraph, ```` ```mermaid ```` diagrams), numbered per chapter, in order. */
  figures: Figure[];
  /**
   * Crosslink ids the chapter defines: `{#id}` on headings (or the line above them), and `{#id}` /
   * `{id="x"}` / `{id: x}` attribute lines above paragraphs, images and code blocks.
   */
  ids: string[];
  diagnostics: Diagnostic[];
}

/** One variant of the book's matrix: `eks-serverless` = { cloud: eks, flavor: serverless }. */
export interface Variant {
  name: string;
  values: Record<string, string>;
}

/**
 * A step in a plan. `condition` is the canonical text (`not eks`, `eks or aks`) as the JSON contract says;
 * the parsed condition is in `when`.
 */
export interface PlannedStep extends Omit<Step, 'condition'> {
  /** Whether the step applies to the plan's variant. */
  included: boolean;
  /**
   * The step belongs to the chapter's teardown (a section whose heading `run.teardownSections` names, such as
   * "What Now?" or "Cleaning Up", or `# bookrun: teardown`): `bookrun run` runs it after a failure too.
   */
  teardown: boolean;
  condition: string | null;
  when: Condition | null;
}

/** The JSON contract printed by `bookrun plan --json` (fields may be added, never removed). */
export interface Plan {
  version: 1;
  chapter: { title: string; file: string };
  variant: Variant;
  steps: PlannedStep[];
  placeholders: Array<{ name: string; line: number; description?: string | null }>;
  notes: Note[];
  checklist: Array<{ text: string; checked: boolean; line?: number }>;
  diagnostics: Diagnostic[];
}
