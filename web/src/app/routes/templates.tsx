import { TemplatesPage } from '@/features/templates/components/templates-page';

export default function TemplatesRoute() {
  return <TemplatesPage />;
}
