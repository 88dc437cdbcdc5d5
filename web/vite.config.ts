import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath, URL } from 'node:url';

const backend = process.env.SWITCHBOARD_API ?? 'http://127.0.0.1:8000';

// The server serves ../src/Switchboard/wwwroot at "/" with an index.html fallback.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/health': { target: backend, changeOrigin: true },
      '/media': { target: backend, changeOrigin: true },
      '/ws': {
        target: backend,
        ws: true,
        changeOrigin: true,
        // The server refuses socket handshakes from foreign origins; present the proxied one.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', backend));
        },
      },
    },
  },
  build: {
    outDir: '../src/Switchboard/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Vendors in their own long-lived chunks, so app changes don't bust them. Ant Design's
        // components stay with the routes that use them; only its shared core is grouped.
        // Groups pull in their dependencies, so the emoji picker has the lowest priority:
        // otherwise it would swallow react/jsx-runtime and land in the first load.
        codeSplitting: {
          groups: [
            { name: 'emoji-picker', test: /node_modules[\\/](emoji-picker-react|flairup)[\\/]/, priority: 10, includeDependenciesRecursively: false },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack[\\/][^\\/]+)[\\/]/, priority: 30 },
            {
              name: 'antd',
              test: /node_modules[\\/](@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color|react-slick)|@rc-component[\\/](util|motion|resize-observer|portal|trigger)|@babel[\\/]runtime|antd[\\/](es|lib)[\\/](config-provider|theme|_util|locale|style|app|version))[\\/]/,
              priority: 20,
            },
          ],
        },
      },
    },
  },
});
