import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AuthProvider } from '@/lib/auth/auth-context';
import { ApiError } from '@/lib/api-client';
import { RealtimeProvider } from '@/lib/realtime/realtime-context';
import { CallProvider } from '@/features/calls/components/call-provider';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

// Ant Design's default blue and grey text fall short of WCAG AA contrast (4.5:1) on white:
// these are the nearest shades that pass, for white-on-primary and for secondary text alike.
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorPrimaryHover: '#003eb3',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#636363',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#6b6b6b',
    colorError: '#cf1322',
  },
};

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider theme={THEME}>
      <AntApp style={{ height: '100%' }}>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <RealtimeProvider>
              {/* Calls ring and run wherever the person is in the app. */}
              <CallProvider>{children}</CallProvider>
            </RealtimeProvider>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
