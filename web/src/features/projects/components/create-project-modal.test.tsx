import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { CreateProjectModal } from './create-project-modal';

afterEach(cleanup);

function setup() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <App>
        <CreateProjectModal open onClose={() => undefined} />
      </App>
    </QueryClientProvider>,
  );
  return {
    name: screen.getByLabelText('Name', { exact: true }) as HTMLInputElement,
    key: screen.getByLabelText('Key', { exact: true }) as HTMLInputElement,
  };
}

describe('the new-project form', { timeout: 30_000 }, () => {
  it('suggests the key from the name until the person edits the key', () => {
    const { name, key } = setup();
    fireEvent.change(name, { target: { value: 'Customer Support' } });
    expect(key.value).toBe('CS');
    fireEvent.change(name, { target: { value: 'Support' } });
    expect(key.value).toBe('SUP');

    fireEvent.change(key, { target: { value: 'help' } });
    expect(key.value).toBe('HELP');
    fireEvent.change(name, { target: { value: 'Support desk' } });
    expect(key.value).toBe('HELP');

    // An emptied key follows the name again.
    fireEvent.change(key, { target: { value: '' } });
    fireEvent.change(name, { target: { value: 'Support team' } });
    expect(key.value).toBe('ST');
  });
});
