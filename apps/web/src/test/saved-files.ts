/**
 * jsdom neither makes object URLs nor follows links: what a page saves (`saveDownload`) is
 * recorded instead, the blobs and the file names, until `restore()`.
 */
export function captureSavedFiles(): { blobs: Blob[]; names: string[]; bytes: (index: number) => Promise<Uint8Array>; restore: () => void } {
  const blobs: Blob[] = [];
  const names: string[] = [];
  const click = HTMLAnchorElement.prototype.click;
  const { createObjectURL, revokeObjectURL } = URL;
  Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:test'), revokeObjectURL: () => undefined });
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    names.push(this.download);
  };
  return {
    blobs,
    names,
    // A file saved as fetched is Node's Blob; one the page made (a byte order mark added) is
    // jsdom's, which has no arrayBuffer(): read through a FileReader.
    bytes: async (index) => {
      const blob = blobs[index]!;
      if (typeof blob.arrayBuffer === 'function') return new Uint8Array(await blob.arrayBuffer());
      return new Promise<Uint8Array>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
        reader.onerror = () => reject(reader.error);
        reader.readAsArrayBuffer(blob);
      });
    },
    restore: () => {
      HTMLAnchorElement.prototype.click = click;
      Object.assign(URL, { createObjectURL, revokeObjectURL });
    },
  };
}
