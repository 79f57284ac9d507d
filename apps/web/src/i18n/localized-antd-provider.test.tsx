import { act, screen } from '@testing-library/react';
import { Button } from 'antd';
import { renderWithProviders } from '../test/render-with-providers';
import { i18n } from './i18n';

describe('<LocalizedAntdProvider>', () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage('en'));
  });

  it('leaves two-character Chinese buttons as written (antd would insert a space: 驳 回)', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    renderWithProviders(
      <>
        <Button>驳回</Button>
        <Button type="primary">批准</Button>
        <Button>取消</Button>
      </>,
    );
    expect(screen.getAllByRole('button').map((button) => button.textContent)).toEqual(['驳回', '批准', '取消']);
  });
});
