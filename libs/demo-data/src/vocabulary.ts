/** The catalog vocabularies the demo datasets are described with (from the domain). */
export {
  CLASSIFICATION_KEYS,
  DATASET_LICENSE_KEYS,
  SENSITIVITY_KEYS,
  THEME_KEYS,
  UPDATE_FREQUENCY_KEYS,
  type Classification,
  type DatasetLicense,
  type Sensitivity,
  type Theme,
  type UpdateFrequency,
} from '@civic/domain';
