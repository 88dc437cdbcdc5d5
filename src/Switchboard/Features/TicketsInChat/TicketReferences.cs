using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;

namespace Switchboard.Features.TicketsInChat;

/// <summary>A ticket as a message shows it: what a chip needs, read as the ticket is now.</summary>
public sealed record TicketChipDto(int Id, string Key, string Title, string Status, string Priority, UserDto? Assignee);

/// <summary>
/// The ticket-reference index: written in the transaction that writes the message (send, edit,
/// system message), removed with it by cascade, and read for a whole page of messages in one query.
/// </summary>
public static class TicketReferences
{
    /// <summary>
    /// Replaces the references of <paramref name="message"/> (already saved, so it has an id) with
    /// those its content names now. No query when the content has no key; otherwise one to resolve the
    /// keys, and on an edit one to remove the old rows. Call inside the message's transaction.
    /// </summary>
    public static async Task WriteAsync(AppDbContext db, ChatMessage message, bool replacing, CancellationToken ct)
    {
        if (replacing)
        {
            await db.Set<TicketReference>().Where(r => r.MessageId == message.Id).ExecuteDeleteAsync(ct);
        }
        var keys = message.IsDeleted ? [] : TicketKeys.Scan(message.Content);
        if (keys.Count == 0)
        {
            return;
        }
        var projects = keys.Select(k => k.Project).Distinct().ToList();
        var numbers = keys.Select(k => k.Number).Distinct().ToList();
        var found = await db.Set<Ticket>().AsNoTracking()
            .Where(t => projects.Contains(t.Project.Key) && numbers.Contains(t.Number))
            .Select(t => new { t.Id, t.Project.Key, t.Number }).ToListAsync(ct);
        var byKey = found.ToDictionary(t => new TicketKeys.Key(t.Key, t.Number), t => t.Id);
        var position = 0;
        foreach (var key in keys)
        {
            if (byKey.TryGetValue(key, out var ticketId))
            {
                db.Add(new TicketReference { MessageId = message.Id, TicketId = ticketId, RoomId = message.RoomId, Position = position++ });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The chips of a page of messages in one query, in the order written. With a
    /// <paramref name="viewerId"/>, the tickets of that viewer's projects; without one (frames that
    /// go to a whole room), only tickets of the room's own project, which every participant may see.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, List<TicketChipDto>>> LoadAsync(
        AppDbContext db, IReadOnlyCollection<int> messageIds, int? viewerId, CancellationToken ct)
    {
        if (messageIds.Count == 0)
        {
            return Empty;
        }
        var ids = messageIds.ToList();
        var refs = db.Set<TicketReference>().Where(r => ids.Contains(r.MessageId));
        refs = viewerId is { } viewer
            ? refs.Where(r => db.ProjectMembers.Any(m => m.ProjectId == r.Ticket.ProjectId && m.UserId == viewer))
            : refs.Where(r => r.Ticket.ProjectId == r.Message.Room.ProjectId);
        var rows = await refs.OrderBy(r => r.MessageId).ThenBy(r => r.Position)
            .Select(r => new
            {
                r.MessageId,
                r.TicketId,
                r.Ticket.Project.Key,
                r.Ticket.Number,
                r.Ticket.Title,
                r.Ticket.Status,
                r.Ticket.Priority,
                Assignee = r.Ticket.Assignee == null ? null
                    : new UserRow(r.Ticket.Assignee.Id, r.Ticket.Assignee.Username, r.Ticket.Assignee.Email,
                        r.Ticket.Assignee.FirstName, r.Ticket.Assignee.LastName, r.Ticket.Assignee.AvatarId),
            })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g
            .Select(r => new TicketChipDto(r.TicketId, $"{r.Key}-{r.Number}", r.Title, r.Status.ToWire(), r.Priority.ToWire(), r.Assignee?.ToDto()))
            .ToList());
    }

    public static readonly IReadOnlyDictionary<int, List<TicketChipDto>> Empty = new Dictionary<int, List<TicketChipDto>>();
}
