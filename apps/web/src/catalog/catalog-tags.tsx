import { LockOutlined, SafetyCertificateOutlined, UnlockOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Classification, DatasetStatus, Sensitivity } from '../api/schema-types';
import { classificationColors, datasetStatusColors, sensitivityColors } from './vocabulary';

const classificationIcons: Record<Classification, ReactNode> = {
  open: <UnlockOutlined />,
  conditional: <SafetyCertificateOutlined />,
  restricted: <LockOutlined />,
};

export function ClassificationTag({ classification }: { classification: Classification }) {
  const { t } = useTranslation();
  return (
    <Tag icon={classificationIcons[classification]} color={classificationColors[classification]} data-testid="classification-tag" data-value={classification}>
      {t(`classification.${classification}.name`)}
    </Tag>
  );
}

export function SensitivityTag({ sensitivity }: { sensitivity: Sensitivity }) {
  const { t } = useTranslation();
  return (
    <Tag color={sensitivityColors[sensitivity]} title={t(`vocab.sensitivityHints.${sensitivity}`)} data-testid="sensitivity-tag" data-value={sensitivity}>
      {t(`vocab.sensitivities.${sensitivity}`)}
    </Tag>
  );
}

export function DatasetStatusTag({ status }: { status: DatasetStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={datasetStatusColors[status]} data-testid="dataset-status" data-value={status}>
      {t(`vocab.datasetStatuses.${status}`)}
    </Tag>
  );
}
