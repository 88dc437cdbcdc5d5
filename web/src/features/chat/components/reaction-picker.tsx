import { Loading } from '@/components/loading';
import { lazy, Suspense, useState } from 'react';
import { Button, Popover, Space } from 'antd';
import { SmileOutlined } from '@ant-design/icons';

const EmojiPickerPanel = lazy(() => import('./emoji-picker-panel'));
const QUICK = ['👍', '❤️', '😂', '🎉', '👀'];

export function ReactionPicker({ onPick, label = 'Add reaction', onOpenChange }: { onPick: (emoji: string) => void; label?: string; onOpenChange?: (open: boolean) => void }) {
  const [open, setOpenState] = useState(false);
  const setOpen = (v: boolean) => {
    setOpenState(v);
    onOpenChange?.(v);
  };
  const pick = (e: string) => {
    setOpen(false);
    onPick(e);
  };
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      destroyOnHidden
      content={
        <div>
          <Space size={4} style={{ marginBottom: 8 }} role="group" aria-label="Quick reactions">
            {QUICK.map((e) => (
              <Button key={e} size="small" type="text" aria-label={`React with ${e}`} onClick={() => pick(e)}>
                {e}
              </Button>
            ))}
          </Space>
          <Suspense fallback={<Loading size="small" label="Loading emoji" />}>
            <EmojiPickerPanel onPick={pick} />
          </Suspense>
        </div>
      }
    >
      <Button size="small" type="text" icon={<SmileOutlined />} aria-label={label} />
    </Popover>
  );
}
