import { useParams } from 'react-router-dom';
import { ProjectMembers } from '@/features/projects/components/project-members';

export default function ProjectSettingsPage() {
  const projectId = Number(useParams().projectId);
  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 900, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
      <ProjectMembers projectId={projectId} />
    </div>
  );
}
