import { useEffect } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useMembers, userLabel } from '@/lib/shared-queries';
import { useCreateRoom } from '../api/chat';
import type { ChatRoom } from '../types';

interface Props {
  mode: 'group' | 'direct' | null;
  projectId: number;
  myUserId: number;
  onClose: () => void;
  onCreated: (room: ChatRoom) => void;
}

export function CreateRoomModal({ mode, projectId, myUserId, onClose, onCreated }: Props) {
  const [form] = Form.useForm<{ name: string; participant_ids: number[] | number }>();
  const members = useMembers(mode ? projectId : null);
  const create = useCreateRoom();
  const { message } = App.useApp();
  const others = (members.data ?? []).filter((m) => m.user.id !== myUserId);

  useEffect(() => {
    if (mode) form.resetFields();
  }, [mode, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const ids = Array.isArray(v.participant_ids) ? v.participant_ids : [v.participant_ids];
    try {
      const room = await create.mutateAsync(
        mode === 'direct'
          ? { type: 'direct', project: projectId, participant_ids: ids }
          : { type: 'group', project: projectId, name: v.name.trim(), participant_ids: ids },
      );
      onCreated(room);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorMessage(err));
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={mode === 'direct' ? 'New direct message' : 'New group room'}
      okText={mode === 'direct' ? 'Open conversation' : 'Create room'}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={create.isPending}
      forceRender
      // We move to the new room; handing focus back to the trigger would steal it from the composer.
      focusTriggerAfterClose={false}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ name: '', participant_ids: [] }}>
        {mode === 'group' && (
          <Form.Item label="Room name" name="name" rules={[{ required: true, whitespace: true, message: 'Name the room' }, { max: 100 }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item
          label={mode === 'direct' ? 'Person' : 'Participants'}
          name="participant_ids"
          rules={[{ required: true, message: mode === 'direct' ? 'Pick someone' : 'Pick at least one person' }]}
        >
          <Select
            aria-label={mode === 'direct' ? 'Person' : 'Participants'}
            mode={mode === 'group' ? 'multiple' : undefined}
            loading={members.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="Project members"
            options={others.map((m) => ({ value: m.user.id, label: userLabel(m.user) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
