import { ProjectList } from '@/features/projects/components/project-list';

export default function ProjectsPage() {
  return <ProjectList />;
}
