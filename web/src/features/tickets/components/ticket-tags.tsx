import { Tag } from 'antd';
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL, TYPE_LABEL, type Ticket } from '../types';

export function StatusTag({ status }: { status: Ticket['status'] }) {
  return <Tag color={STATUS_COLOR[status]}>{STATUS_LABEL[status] ?? status}</Tag>;
}
export function PriorityTag({ priority }: { priority: Ticket['priority'] }) {
  return <Tag color={PRIORITY_COLOR[priority]}>{PRIORITY_LABEL[priority] ?? priority}</Tag>;
}
export function TypeTag({ type }: { type: Ticket['type'] }) {
  return <Tag>{TYPE_LABEL[type] ?? type}</Tag>;
}
