/** Reads manifests for the dependency guard: local files, or a repository's files in a Lambda. */
export interface ManifestReader {
  /** The file's text (UTF-8, a leading BOM removed), or undefined when there is no such file. */
  read(path: string): Promise<string | undefined>;
}
