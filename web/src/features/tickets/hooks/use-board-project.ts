import { useEffect } from 'react';
import { useProjects } from '@/lib/shared-queries';

export const BOARD_PROJECT_KEY = 'switchboard.board.project';

function remembered(): number | null {
  try {
    return Number(window.localStorage.getItem(BOARD_PROJECT_KEY)) || null;
  } catch {
    return null;
  }
}

/**
 * The board shows one project: the one in the URL, else the one last looked at (remembered in
 * localStorage), else the first. The choice goes into the URL so a board can be shared.
 */
export function useBoardProject(fromUrl: string | undefined, setInUrl: (id: number) => void) {
  const projects = useProjects();
  const list = projects.data ?? [];
  const urlId = Number(fromUrl) || null;
  const candidate = urlId ?? remembered();
  const chosen = list.find((p) => p.id === candidate) ?? (urlId ? null : list[0]) ?? null;

  useEffect(() => {
    if (!chosen) return;
    try {
      window.localStorage.setItem(BOARD_PROJECT_KEY, String(chosen.id));
    } catch {
      /* private mode: not remembered, still works */
    }
    if (urlId !== chosen.id) setInUrl(chosen.id);
  }, [chosen, urlId, setInUrl]);

  return { projects: list, project: chosen, isLoading: projects.isLoading, missing: !!urlId && !!projects.data && !chosen };
}
