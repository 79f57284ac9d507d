import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Form } from 'antd';
import { renderWithProviders } from '../test/render-with-providers';
import { LoginForm, type LoginFormProps, type LoginFormValues } from './login-form';

function Harness(props: Omit<LoginFormProps, 'form'>) {
  const [form] = Form.useForm<LoginFormValues>();
  return <LoginForm form={form} {...props} />;
}

function setup(errorText?: string) {
  const submitted: LoginFormValues[] = [];
  renderWithProviders(<Harness onSubmit={(values) => submitted.push(values)} errorText={errorText} />);
  return submitted;
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('<LoginForm>', () => {
  it('requires email and password', async () => {
    const submitted = setup();
    await act(async () => {
      fireEvent.click(screen.getByTestId('login-submit'));
    });
    await waitFor(() => expect(screen.getAllByText('This field is required')).toHaveLength(2));
    expect(submitted).toEqual([]);
  });

  it('rejects a malformed email', async () => {
    const submitted = setup();
    type('login-email', 'not-an-email');
    type('login-password', 'secret-password');
    await act(async () => {
      fireEvent.click(screen.getByTestId('login-submit'));
    });
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(submitted).toEqual([]);
  });

  it('submits valid credentials', async () => {
    const submitted = setup();
    type('login-email', 'steward@city.example');
    type('login-password', 'secret-password');
    await act(async () => {
      fireEvent.click(screen.getByTestId('login-submit'));
    });
    await waitFor(() => expect(submitted).toEqual([{ email: 'steward@city.example', password: 'secret-password' }]));
  });

  it('shows a form-level error', () => {
    setup('Email or password is incorrect.');
    expect(screen.getByTestId('login-error')).toHaveTextContent('Email or password is incorrect.');
  });
});
