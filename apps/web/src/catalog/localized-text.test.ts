import { localizedText } from './localized-text';

describe('localizedText', () => {
  it("shows the reader's language first and the other second", () => {
    expect(localizedText('城市道路交通流量', 'Urban road traffic flow', 'zh-CN')).toEqual({ primary: '城市道路交通流量', secondary: 'Urban road traffic flow' });
    expect(localizedText('城市道路交通流量', 'Urban road traffic flow', 'en')).toEqual({ primary: 'Urban road traffic flow', secondary: '城市道路交通流量' });
  });

  it('falls back to the other language when one is missing, without repeating it', () => {
    expect(localizedText('', 'Only English', 'zh-CN')).toEqual({ primary: 'Only English', secondary: null });
    expect(localizedText('同名', '同名', 'en')).toEqual({ primary: '同名', secondary: null });
    expect(localizedText(null, undefined, 'en')).toEqual({ primary: '', secondary: null });
  });
});
