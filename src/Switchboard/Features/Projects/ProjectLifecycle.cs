using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Realtime;

namespace Switchboard.Features.Projects;

/// <summary>
/// Something that must happen in the same transaction when a member leaves a project
/// (tickets are unassigned, chat participation ends). Features register one each.
/// </summary>
public interface IMemberRemovalStep
{
    Task OnMemberRemovingAsync(AppDbContext db, int projectId, int userId, int actorId, CancellationToken ct);

    /// <summary>Runs after the commit: notify sockets and the like.</summary>
    Task OnMemberRemovedAsync(int projectId, int userId, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Membership changes that other features take part in.</summary>
public sealed class ProjectLifecycle(AppDbContext db, IEnumerable<IMemberRemovalStep> steps, IUserEvents users)
{
    public async Task RemoveMemberAsync(int projectId, int userId, int actorId, CancellationToken ct)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var step in steps)
            {
                await step.OnMemberRemovingAsync(db, projectId, userId, actorId, ct);
            }
            await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.UserId == userId).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        foreach (var step in steps)
        {
            await step.OnMemberRemovedAsync(projectId, userId, ct);
        }
    }

    public async Task DeleteProjectAsync(int projectId, CancellationToken ct)
    {
        var members = await db.ProjectMembers.Where(m => m.ProjectId == projectId).Select(m => m.UserId).ToListAsync(ct);
        // Everything in a project hangs off it with cascading foreign keys.
        await db.Projects.Where(p => p.Id == projectId).ExecuteDeleteAsync(ct);
        // Its topic subscriptions end on open sockets.
        await users.PublishAsync(new UserEvent(members, null, UserEventEffect.LeaveProject, projectId), ct);
    }
}
