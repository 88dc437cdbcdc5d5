using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Projects;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Tickets;

/// <summary>
/// How each field appears in a <see cref="TicketHistoryEntry"/>: enums by their wire names, the
/// assignee by username, labels as a sorted comma-separated list, dates as YYYY-MM-DD, empty as null.
/// Comments and attachments log their body and file name under the fields "comment" and "attachment";
/// a new ticket starts its story with a "created" entry whose new value is its key.
/// </summary>
public static class TicketHistory
{
    public const string Created = "created";
    public const string Comment = "comment";
    public const string Attachment = "attachment";

    public static string? Labels(IEnumerable<string> labels)
    {
        var sorted = labels.OrderBy(TicketLabel.Normalize, StringComparer.Ordinal).ThenBy(l => l, StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? null : string.Join(", ", sorted);
    }

    public static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TicketHistoryEntry Entry(int ticketId, int actorId, DateTime at, string field, string? oldValue, string? newValue) =>
        new() { TicketId = ticketId, ActorId = actorId, CreatedAt = at, Field = field, OldValue = oldValue, NewValue = newValue };

    /// <summary>GET /api/tickets/{id}/history/: the whole story of a ticket, oldest first, paginated.</summary>
    public static async Task<Results<Ok<Page<HistoryEntryDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (await db.TicketAccessAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var result = await db.Set<TicketHistoryEntry>().AsNoTracking().Include(h => h.Actor)
            .Where(h => h.TicketId == id).OrderBy(h => h.Id)
            .ToPageAsync(http.Request, page, list => list.Select(HistoryEntryDto.From).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }
}

/// <summary>
/// When someone leaves a project, their open and in-progress tickets there lose their assignee (with a
/// history entry by the person who removed them) and they stop watching the project's tickets.
/// </summary>
public sealed class UnassignTicketsOnMemberRemoval(TimeProvider clock) : IMemberRemovalStep
{
    public async Task OnMemberRemovingAsync(AppDbContext db, int projectId, int userId, int actorId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var username = await db.Users.Where(u => u.Id == userId).Select(u => u.Username).SingleAsync(ct);
        var tickets = await db.Set<Ticket>()
            .Where(t => t.ProjectId == projectId && t.AssigneeId == userId
                        && (t.Status == TicketStatus.Open || t.Status == TicketStatus.InProgress))
            .ToListAsync(ct);
        foreach (var ticket in tickets)
        {
            ticket.AssigneeId = null;
            ticket.UpdatedAt = now;
            db.Add(TicketHistory.Entry(ticket.Id, actorId, now, "assignee", username, null));
        }
        await db.SaveChangesAsync(ct);
        await db.Set<TicketWatcher>()
            .Where(w => w.UserId == userId && db.Set<Ticket>().Any(t => t.Id == w.TicketId && t.ProjectId == projectId))
            .ExecuteDeleteAsync(ct);
    }
}
