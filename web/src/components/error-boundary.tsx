import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Typography } from 'antd';

interface State {
  error: Error | null;
}

/** Catches render errors (and chunks that fail to load after a deploy) so one page can't blank the app. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    const chunk = /dynamically imported module|Loading chunk|Importing a module script failed/i.test(this.state.error.message);
    // Plain markup, not antd's Result: this sits in the first load.
    return (
      <div role="alert" style={{ padding: 48, textAlign: 'center' }}>
        <Typography.Title level={3}>{chunk ? 'A new version of Switchboard is available' : 'Something went wrong on this page'}</Typography.Title>
        <Typography.Paragraph type="secondary">{chunk ? 'Reload to get it.' : this.state.error.message}</Typography.Paragraph>
        <Button type="primary" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </div>
    );
  }
}
