import { AssignerProtocol, type Admin } from 'kafkajs';

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  /** The partitions the group leader assigned to this member, by topic. */
  readonly partitions: Readonly<Record<string, readonly number[]>>;
}

export interface GroupMembership {
  /** Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  readonly state: string;
  readonly members: readonly GroupMember[];
}

/**
 * Who is in a consumer group and which partitions each member owns, as the broker sees
 * it: how several instances of a stage share its partitions (and which one idles).
 */
export async function groupMembers(admin: Admin, groupId: string): Promise<GroupMembership> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group) return { state: 'Dead', members: [] };
  return {
    state: group.state,
    members: group.members.map((m) => {
      // A member that joined but has no assignment yet carries an empty buffer.
      const decoded = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      return { memberId: m.memberId, clientId: m.clientId, partitions: decoded?.assignment ?? {} };
    }),
  };
}

/** Partitions a member owns, over all topics. */
export const ownedPartitions = (member: GroupMember): number => Object.values(member.partitions).reduce((n, p) => n + p.length, 0);
