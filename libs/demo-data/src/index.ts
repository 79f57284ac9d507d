export { DEMO_DATASETS, DEMO_SCALE, DEMO_SCALES, demoColumns } from './catalog.js';
export { demoFileName, writeDemoFile } from './write.js';
export type { DemoColumn, DemoDataset, DemoFileEncoding, DemoFileFormat, DemoScale, WriteDemoFileOptions } from './types.js';
export type { Classification, DatasetLicense, Sensitivity, Theme, UpdateFrequency } from './vocabulary.js';
