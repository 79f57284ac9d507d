import { Input, type InputProps } from 'antd';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { currencyDigits, currencySymbol, decimalToMinor } from './money';

/**
 * An amount typed in major units (yuan) as text. The form keeps the text; it becomes integer
 * minor units only through decimalToMinor, digit by digit.
 */
export function MoneyInput({ currency, ...props }: Omit<InputProps, 'prefix' | 'inputMode'> & { currency: string }) {
  const { i18n } = useTranslation();
  const digits = currencyDigits(currency);
  return <Input {...props} prefix={currencySymbol(currency, i18n.language)} inputMode={digits === 0 ? 'numeric' : 'decimal'} placeholder={digits === 0 ? '0' : `0.${'0'.repeat(digits)}`} autoComplete="off" />;
}

/** Form rules for a MoneyInput: an amount of the currency with at most its digits (optionally required, optionally above zero). */
export function moneyRules(currency: string, t: TFunction, options: { required?: boolean; positive?: boolean } = {}): Rule[] {
  return [
    ...(options.required ? [{ required: true, whitespace: true, message: t('validation.required') }] : []),
    {
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.trim() === '') return;
        // A sign is its own mistake: "at most 2 decimals" would not say what is wrong with -50.
        if (value.trim().startsWith('-')) throw new Error(t(options.positive ? 'commerce.money.positive' : 'commerce.money.notNegative'));
        const minor = decimalToMinor(value, currency);
        if (minor === null) throw new Error(t('commerce.money.invalid', { count: currencyDigits(currency), currency }));
        if (options.positive && minor <= 0) throw new Error(t('commerce.money.positive'));
      },
    },
  ];
}
