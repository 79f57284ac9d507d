import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

// Mirrors the API's rule (password min 10 characters) so users hear about it before submitting.
export const minimumPasswordLength = 10;

export function passwordRules(t: TFunction): FormRule[] {
  return [
    { required: true, message: t('validation.required') },
    { min: minimumPasswordLength, message: t('validation.passwordMin', { count: minimumPasswordLength }) },
  ];
}

export function confirmPasswordRules(t: TFunction, passwordField = 'password'): FormRule[] {
  return [
    { required: true, message: t('validation.required') },
    ({ getFieldValue }) => ({
      validator: (_rule, value) =>
        !value || getFieldValue(passwordField) === value ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch'))),
    }),
  ];
}
