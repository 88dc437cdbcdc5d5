using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Notifications;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;
using Switchboard.Realtime;

using Switchboard.Features.TicketsInChat;

namespace Switchboard.Features.Tickets;

/// <summary>Which project a ticket is in and the caller's role there; null when either is unknown (404).</summary>
internal sealed record TicketAccess(int ProjectId, ProjectRole Role);

public static partial class TicketsApi
{
    public static IServiceCollection AddTickets(this IServiceCollection services) =>
        services.AddScoped<IMemberRemovalStep, UnassignTicketsOnMemberRemoval>()
            .AddScoped<IMemberRemovalStep, TicketTopicsOnMemberRemoval>()
            .AddScoped<ITopicAccess, ProjectTopicAccess>()
            .AddScoped<ITopicAccess, TicketTopicAccess>()
            .AddScoped<TicketEvents>();

    public static RouteGroupBuilder MapTickets(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets").WithTags("Tickets").RequireAuthorization().ProducesProblem(401);

        group.MapGet("", List).WithName("tickets_list")
            .WithSummary("Tickets in the caller's projects, filtered (project, status, priority, type, assignee, reporter, label, search) and ordered")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("", Create).WithName("tickets_create").WithSummary("Create a ticket (project members and above)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/{id:int}", Get).WithName("tickets_get").WithSummary("One ticket").ProducesProblem(404);
        group.MapGet("/by-key/{key}", GetByKey).WithName("tickets_get_by_key")
            .WithSummary("One ticket by its key, e.g. SUP-42 (any case)").ProducesProblem(404);
        group.MapPatch("/{id:int}", Update).WithName("tickets_update")
            .WithSummary("Change a ticket (members and above); writes one history entry per changed field")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:int}", Delete).WithName("tickets_delete").WithSummary("Delete a ticket (admins and owners)")
            .ProducesProblem(403).ProducesProblem(404);

        group.MapGet("/{id:int}/history", TicketHistory.List).WithName("tickets_history")
            .WithSummary("The ticket's history, oldest first").ProducesProblem(404);
        group.MapPost("/{id:int}/watch", Watch).WithName("tickets_watch")
            .WithSummary("Watch the ticket (idempotent, 204)").ProducesProblem(404);
        group.MapPost("/{id:int}/unwatch", Unwatch).WithName("tickets_unwatch")
            .WithSummary("Stop watching the ticket (idempotent, 204)").ProducesProblem(404);
        group.MapGet("/{id:int}/watchers", Watchers).WithName("tickets_watchers")
            .WithSummary("Users watching the ticket").ProducesProblem(404);

        group.MapComments();
        group.MapAttachments();
        return group;
    }

    internal static async Task<TicketAccess?> TicketAccessAsync(this AppDbContext db, int ticketId, int userId, CancellationToken ct)
    {
        var row = await db.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new
            {
                t.ProjectId,
                Role = db.ProjectMembers.Where(m => m.ProjectId == t.ProjectId && m.UserId == userId).Select(m => (ProjectRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return row?.Role is { } role ? new TicketAccess(row.ProjectId, role) : null;
    }

    internal static IQueryable<TicketRow> ToRows(IQueryable<Ticket> tickets) =>
        tickets.Select(t => new TicketRow(t, t.Project.Key,
            new UserRow(t.Reporter.Id, t.Reporter.Username, t.Reporter.Email, t.Reporter.FirstName, t.Reporter.LastName, t.Reporter.AvatarId),
            t.Assignee == null ? null : new UserRow(t.Assignee.Id, t.Assignee.Username, t.Assignee.Email, t.Assignee.FirstName, t.Assignee.LastName, t.Assignee.AvatarId),
            t.Labels.OrderBy(l => l.Normalized).Select(l => l.Label).ToList(),
            t.Source == null ? null : new SourceMessageDto(t.Source.MessageId, t.Source.RoomId),
            t.Discussion == null ? null : new DiscussionDto(t.Discussion.RoomId, t.Discussion.RootId)));

    /// <summary>Tickets of the projects the user belongs to.</summary>
    internal static IQueryable<Ticket> Visible(AppDbContext db, int userId) =>
        db.Set<Ticket>().AsNoTracking().Where(t => db.ProjectMembers.Any(m => m.ProjectId == t.ProjectId && m.UserId == userId));

    private static async Task<TicketDto?> FindAsync(AppDbContext db, int userId, int id, CancellationToken ct) =>
        (await ToRows(Visible(db, userId).Where(t => t.Id == id)).FirstOrDefaultAsync(ct))?.ToDto();

    public static async Task<Results<Ok<Page<TicketDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] TicketListQuery filter, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var pageError))
        {
            return Problems.NotFound(pageError!);
        }
        var userId = http.User.GetUserId();
        var errors = new FieldErrors();
        var tickets = TicketQuery.Apply(Visible(db, userId), db, filter, userId, errors);
        if (tickets is null)
        {
            return errors.ToProblem();
        }
        var result = await ToRows(tickets).ToPageAsync(http.Request, page, list => list.Select(r => r.ToDto()).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Created<TicketDto>, ValidationProblem, ProblemHttpResult>> Create(
        JsonElement body, HttpContext http, AppDbContext db, TicketEvents events, Notifier notifier, TicketFeeds feeds, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var input = TicketInput.Read(body, errors);
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in (string[])["project", "title"])
            {
                if (!input.Present.Contains(field))
                {
                    errors.Add(field, "This field is required.");
                }
            }
        }
        if (!input.Project.IsSet)
        {
            return errors.ToProblem();
        }

        var userId = http.User.GetUserId();
        var projectId = input.Project.Value;
        var role = await db.RoleAsync(projectId, userId, ct);
        if (role is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers cannot create tickets.");
        }
        var assignee = await CheckAssigneeAsync(db, input, projectId, errors, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var ticket = new Ticket
        {
            ProjectId = projectId,
            Title = input.Title.Value,
            Description = input.Description.IsSet ? input.Description.Value : "",
            Status = input.Status.IsSet ? input.Status.Value : TicketStatus.Open,
            Priority = input.Priority.IsSet ? input.Priority.Value : TicketPriority.Medium,
            Type = input.Type.IsSet ? input.Type.Value : TicketType.Task,
            ReporterId = userId,
            AssigneeId = assignee?.Id,
            DueDate = input.DueDate.IsSet ? input.DueDate.Value : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (ticket.IsDone)
        {
            ticket.ResolvedAt = now;
        }
        foreach (var label in input.Labels.IsSet ? input.Labels.Value : [])
        {
            ticket.Labels.Add(new TicketLabel { Label = label, Normalized = TicketLabel.Normalize(label) });
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await NextNumberAsync(db, projectId, ct) is not { } number)
            {
                return Problems.NotFound("Project not found.");
            }
            ticket.Number = number;
            db.Add(ticket);
            await db.SaveChangesAsync(ct);

            var key = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Key).SingleAsync(ct);
            db.Add(TicketHistory.Entry(ticket.Id, userId, now, TicketHistory.Created, null, $"{key}-{ticket.Number}"));
            db.Add(new TicketWatcher { TicketId = ticket.Id, UserId = userId, CreatedAt = now });
            if (assignee is not null && assignee.Id != userId)
            {
                db.Add(new TicketWatcher { TicketId = ticket.Id, UserId = assignee.Id, CreatedAt = now });
                notifier.AddAssigned(assignee.Id, ticket.Id, projectId, userId, $"{key}-{ticket.Number} {ticket.Title}", now);
            }
            await db.SaveChangesAsync(ct);
            await feeds.OnTicketEventAsync(ticket.Id, TicketFeedEvents.Created, userId, ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        await notifier.PublishAsync(ct);
        await feeds.PublishAsync(ct);
        var dto = await FindAsync(db, userId, ticket.Id, ct);
        await events.TicketAsync(TicketEvents.Created, dto!, ct);
        return TypedResults.Created($"/api/tickets/{ticket.Id}/", dto!);
    }

    /// <summary>
    /// The next ticket number of the project, inside the caller's transaction: the project row is the
    /// counter, and the atomic bump holds its row lock until commit, so concurrent creations (on any
    /// number of instances) get consecutive numbers. Null when the project is gone.
    /// </summary>
    internal static async Task<int?> NextNumberAsync(AppDbContext db, int projectId, CancellationToken ct)
    {
        var numbers = await db.Database.SqlQuery<int>(
                $"UPDATE projects SET \"LastTicketNumber\" = \"LastTicketNumber\" + 1 WHERE \"Id\" = {projectId} RETURNING \"LastTicketNumber\" AS \"Value\"")
            .ToListAsync(ct);
        return numbers.Count == 1 ? numbers[0] : null;
    }

    /// <summary>The assignee must be an active member of the project (any role).</summary>
    internal static async Task<User?> CheckAssigneeAsync(AppDbContext db, TicketInput input, int projectId, FieldErrors errors, CancellationToken ct)
    {
        if (!input.AssigneeId.IsSet || input.AssigneeId.Value is not { } assigneeId)
        {
            return null;
        }
        var user = await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == projectId && m.UserId == assigneeId && m.User.IsActive)
            .Select(m => m.User).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            errors.Add("assignee_id", "The assignee must be a member of the ticket's project.");
        }
        return user;
    }

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> Get(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var dto = await FindAsync(db, http.User.GetUserId(), id, ct);
        return dto is null ? Problems.NotFound("Ticket not found.") : TypedResults.Ok(dto);
    }

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> GetByKey(string key, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var match = KeyPattern().Match(key);
        if (!match.Success || !int.TryParse(match.Groups[2].Value, out var number))
        {
            return Problems.NotFound("Ticket not found.");
        }
        var projectKey = match.Groups[1].Value.ToUpperInvariant();
        var row = await ToRows(Visible(db, http.User.GetUserId()).Where(t => t.Number == number && t.Project.Key == projectKey))
            .FirstOrDefaultAsync(ct);
        return row is null ? Problems.NotFound("Ticket not found.") : TypedResults.Ok(row.ToDto());
    }

    public static async Task<Results<Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> Update(
        int id, JsonElement body, HttpContext http, AppDbContext db, TicketEvents events, Notifier notifier, TicketFeeds feeds, TimeProvider clock,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (access.Role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers cannot change tickets.");
        }
        var errors = new FieldErrors();
        var input = TicketInput.Read(body, errors);
        var assignee = await CheckAssigneeAsync(db, input, access.ProjectId, errors, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var ticket = await db.Set<Ticket>().Include(t => t.Labels).Include(t => t.Assignee).SingleAsync(t => t.Id == id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changes = new List<(string Field, string? Old, string? New)>();
        void Change(string field, string? oldValue, string? newValue)
        {
            if (oldValue != newValue)
            {
                changes.Add((field, oldValue, newValue));
            }
        }

        if (input.Title.IsSet)
        {
            Change("title", ticket.Title, input.Title.Value);
            ticket.Title = input.Title.Value;
        }
        if (input.Description.IsSet)
        {
            Change("description", Blank(ticket.Description), Blank(input.Description.Value));
            ticket.Description = input.Description.Value;
        }
        if (input.Status.IsSet && input.Status.Value != ticket.Status)
        {
            var wasDone = ticket.IsDone;
            Change("status", ticket.Status.ToWire(), input.Status.Value.ToWire());
            ticket.Status = input.Status.Value;
            if (ticket.IsDone && !wasDone)
            {
                ticket.ResolvedAt = now;
            }
            else if (!ticket.IsDone)
            {
                ticket.ResolvedAt = null;
            }
        }
        if (input.Priority.IsSet)
        {
            Change("priority", ticket.Priority.ToWire(), input.Priority.Value.ToWire());
            ticket.Priority = input.Priority.Value;
        }
        if (input.Type.IsSet)
        {
            Change("type", ticket.Type.ToWire(), input.Type.Value.ToWire());
            ticket.Type = input.Type.Value;
        }
        var newWatcher = (int?)null;
        if (input.AssigneeId.IsSet && input.AssigneeId.Value != ticket.AssigneeId)
        {
            Change("assignee", ticket.Assignee?.Username, assignee?.Username);
            // Only the key changes; EF fixes the navigation up from it.
            ticket.AssigneeId = assignee?.Id;
            newWatcher = assignee?.Id;
        }
        if (input.Labels.IsSet)
        {
            Change("labels", TicketHistory.Labels(ticket.Labels.Select(l => l.Label)), TicketHistory.Labels(input.Labels.Value));
            ReplaceLabels(ticket, input.Labels.Value);
        }
        if (input.DueDate.IsSet)
        {
            Change("due_date", TicketHistory.Date(ticket.DueDate), TicketHistory.Date(input.DueDate.Value));
            ticket.DueDate = input.DueDate.Value;
        }

        if (changes.Count > 0)
        {
            ticket.UpdatedAt = now;
            foreach (var (field, oldValue, newValue) in changes)
            {
                db.Add(TicketHistory.Entry(id, userId, now, field, oldValue, newValue));
            }
            if (newWatcher is { } watcherId && !await db.Set<TicketWatcher>().AnyAsync(w => w.TicketId == id && w.UserId == watcherId, ct))
            {
                db.Add(new TicketWatcher { TicketId = id, UserId = watcherId, CreatedAt = now });
            }
            var statusChange = changes.FirstOrDefault(c => c.Field == "status");
            var about = newWatcher is null && statusChange.Field is null
                ? ""
                : $"{await db.Projects.Where(p => p.Id == access.ProjectId).Select(p => p.Key).SingleAsync(ct)}-{ticket.Number} {ticket.Title}";
            if (newWatcher is { } assigned)
            {
                notifier.AddAssigned(assigned, id, access.ProjectId, userId, about, now);
            }
            if (statusChange.Field is not null)
            {
                await notifier.AddAsync(db, id, access.ProjectId, userId, NotificationTypes.TicketStatusChanged,
                    $"{about}: {statusChange.Old} → {statusChange.New}", now, ct);
            }
            // One transaction: the change, its history, its notifications and its ticket feed messages commit together.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (statusChange.Field is not null)
            {
                await feeds.OnTicketEventAsync(id, TicketFeedEvents.StatusChanged, userId, new FeedDetails(statusChange.Old, statusChange.New), ct);
            }
            if (input.AssigneeId.IsSet && changes.Any(c => c.Field == "assignee"))
            {
                await feeds.OnTicketEventAsync(id, TicketFeedEvents.Assigned, userId, new FeedDetails(AssigneeId: assignee?.Id), ct);
            }
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        await notifier.PublishAsync(ct);
        await feeds.PublishAsync(ct);
        var dto = (await FindAsync(db, userId, id, ct))!;
        if (changes.Count > 0)
        {
            await events.TicketAsync(TicketEvents.Updated, dto, ct);
        }
        return TypedResults.Ok(dto);
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;

    private static void ReplaceLabels(Ticket ticket, List<string> labels)
    {
        var wanted = labels.ToDictionary(TicketLabel.Normalize, l => l, StringComparer.Ordinal);
        ticket.Labels.RemoveAll(l => !wanted.ContainsKey(l.Normalized));
        foreach (var existing in ticket.Labels)
        {
            existing.Label = wanted[existing.Normalized];
            wanted.Remove(existing.Normalized);
        }
        foreach (var (normalized, label) in wanted)
        {
            ticket.Labels.Add(new TicketLabel { Label = label, Normalized = normalized });
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, HttpContext http, AppDbContext db,
        IFileStorage storage, TicketEvents events, CancellationToken ct)
    {
        var access = await db.TicketAccessAsync(id, http.User.GetUserId(), ct);
        if (access is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (access.Role < ProjectRole.Admin)
        {
            return Problems.Forbidden("Only the project's admins and owners can delete tickets.");
        }
        var files = await db.Set<TicketAttachment>().Where(a => a.TicketId == id).Select(a => a.StorageKey).ToListAsync(ct);
        var dto = await FindAsync(db, http.User.GetUserId(), id, ct);
        // Comments, labels, history, watchers and attachments go with it (cascading keys).
        var deleted = await db.Set<Ticket>().Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        foreach (var file in files)
        {
            await storage.DeleteAsync(file, CancellationToken.None);
        }
        if (deleted > 0 && dto is not null)
        {
            await events.TicketAsync(TicketEvents.Deleted, dto, ct);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Watch(int id, HttpContext http, AppDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        if (await db.TicketAccessAsync(id, userId, ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (!await db.Set<TicketWatcher>().AnyAsync(w => w.TicketId == id && w.UserId == userId, ct))
        {
            db.Add(new TicketWatcher { TicketId = id, UserId = userId, CreatedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
            {
                // Watched twice at once: the outcome is the same.
            }
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unwatch(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        if (await db.TicketAccessAsync(id, userId, ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        await db.Set<TicketWatcher>().Where(w => w.TicketId == id && w.UserId == userId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<UserDto>>, ProblemHttpResult>> Watchers([AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (await db.TicketAccessAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var result = await db.Set<TicketWatcher>().AsNoTracking().Where(w => w.TicketId == id)
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.UserId).Select(w => w.User)
            .ToPageAsync(http.Request, page, list => list.Select(UserDto.From).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9]{1,9})-([0-9]{1,10})$")]
    private static partial Regex KeyPattern();
}
