using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Tickets;

namespace Switchboard.Features.Notifications;

/// <summary>Who hears about a ticket change: its assignee and watchers who are still members, never the actor.</summary>
public static class TicketNotifications
{
    public static async Task AddAsync(this Notifier notifier, AppDbContext db, int ticketId, int projectId, int actorId, string type,
        string excerpt, DateTime now, CancellationToken ct)
    {
        var people = await db.Set<TicketWatcher>().Where(w => w.TicketId == ticketId).Select(w => w.UserId)
            .Union(db.Set<Ticket>().Where(t => t.Id == ticketId && t.AssigneeId != null).Select(t => t.AssigneeId!.Value))
            .Where(u => u != actorId && db.ProjectMembers.Any(m => m.ProjectId == projectId && m.UserId == u))
            .ToListAsync(ct);
        foreach (var userId in people.Distinct())
        {
            notifier.Add(db, userId, type, actorId, now, excerpt, projectId: projectId, ticketId: ticketId);
        }
    }

    public static void AddAssigned(this Notifier notifier, int assigneeId, int ticketId, int projectId, int actorId, string excerpt, DateTime now) =>
        notifier.Add(assigneeId, NotificationTypes.TicketAssigned, actorId, now, excerpt, projectId: projectId, ticketId: ticketId);
}
