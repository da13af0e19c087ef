import '@mantine/core/styles.css';
import './theme.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import { ApiError } from './api/api-error';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request (4xx) will not succeed by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

// White on blue reaches 4.5:1 contrast from shade 8; actions use shade 9 in light, 8 in dark.
const theme = createTheme({ primaryColor: 'blue', primaryShade: { light: 9, dark: 8 } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* Dark and light follow the system (prefers-color-scheme). */}
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
