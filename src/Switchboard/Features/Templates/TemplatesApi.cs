using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Projects;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Templates;

public static partial class TemplatesApi
{
    private const string NotFound = "Template not found.";

    public static RouteGroupBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/templates").WithTags("Templates").RequireAuthorization().ProducesProblem(401);
        group.MapGet("", List).WithName("templates_list")
            .WithSummary("The caller's personal templates and those of their projects (?project=, ?search= ranks short-code prefixes first)")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("", Create).WithName("templates_create")
            .WithSummary("Create a personal template, or a project template (project admins)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:int}", Get).WithName("templates_get").WithSummary("One template").ProducesProblem(404);
        group.MapPatch("/{id:int}", Update).WithName("templates_update")
            .WithSummary("Change a template's short code, title or content (its owner; project admins for project templates)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:int}", Delete).WithName("templates_delete")
            .WithSummary("Delete a template (its owner; project admins for project templates)").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:int}/render", Render).WithName("templates_render")
            .WithSummary("Fill the template's variables for a room and/or a ticket; unfilled ones are listed in missing")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(415);
        return group;
    }

    /// <summary>Templates the user may read: their own personal ones and those of every project they are in.</summary>
    private static IQueryable<Template> Visible(AppDbContext db, int userId)
    {
        var projects = db.ProjectIdsOf(userId);
        return db.Set<Template>().AsNoTracking().Where(t =>
            (t.Scope == TemplateScope.Personal && t.OwnerId == userId) ||
            (t.Scope == TemplateScope.Project && t.ProjectId != null && projects.Contains(t.ProjectId.Value)));
    }

    private static IQueryable<TemplateRow> ToRows(IQueryable<Template> templates) =>
        templates.Select(t => new TemplateRow(t.Id, t.Scope, t.ProjectId, t.ShortCode, t.Title, t.Content,
            new UserRow(t.CreatedBy.Id, t.CreatedBy.Username, t.CreatedBy.Email, t.CreatedBy.FirstName, t.CreatedBy.LastName, t.CreatedBy.AvatarId),
            t.CreatedAt, t.UpdatedAt));

    public static async Task<Results<Ok<Page<TemplateDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] TemplateListQuery filter, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var query = Visible(db, userId);
        if (filter.Project is { Length: > 0 } projectText)
        {
            if (!int.TryParse(projectText, NumberStyles.None, CultureInfo.InvariantCulture, out var projectId))
            {
                return Problems.Validation("project", "A valid integer is required.");
            }
            if (await db.RoleAsync(projectId, userId, ct) is null)
            {
                return Problems.NotFound("Project not found.");
            }
            query = query.Where(t => t.Scope == TemplateScope.Personal || t.ProjectId == projectId);
        }

        var search = (filter.Search ?? "").Trim().ToLowerInvariant();
        if (search.Length > Template.MaxTitleLength)
        {
            return Problems.Validation("search", $"Ensure this field has no more than {Template.MaxTitleLength} characters.");
        }
        IOrderedQueryable<Template> ordered;
        if (search.Length > 0)
        {
            // What the composer's "/code" completion wants first: short codes that start with what was typed.
            ordered = query
                .Where(t => t.ShortCode.Contains(search) || t.Title.ToLower().Contains(search) || t.Content.ToLower().Contains(search))
                .OrderBy(t => t.ShortCode.StartsWith(search) ? 0 : 1)
                .ThenBy(t => t.ShortCode);
        }
        else
        {
            ordered = query.OrderBy(t => t.ShortCode);
        }
        var result = await ToRows(ordered.ThenBy(t => t.Id))
            .ToPageAsync(http.Request, page, list => list.Select(t => t.ToDto()).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<TemplateDto>, ProblemHttpResult>> Get(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var row = await ToRows(Visible(db, http.User.GetUserId()).Where(t => t.Id == id)).SingleOrDefaultAsync(ct);
        return row is null ? Problems.NotFound(NotFound) : TypedResults.Ok(row.ToDto());
    }

    public static async Task<Results<Created<TemplateDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateTemplateRequest body, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var errors = new FieldErrors();
        TemplateScope scope = default;
        if (body.Scope is null)
        {
            errors.Add("scope", "This field is required.");
        }
        else if (!TemplateScopes.TryParse(body.Scope, out scope))
        {
            errors.Add("scope", "Choose personal or project.");
        }
        else if (scope == TemplateScope.Project && body.Project is null)
        {
            errors.Add("project", "A project template needs its project.");
        }
        else if (scope == TemplateScope.Personal && body.Project is not null)
        {
            errors.Add("project", "A personal template belongs to no project; leave this out.");
        }
        var shortCode = CheckShortCode(errors, body.ShortCode, required: true);
        var title = errors.Required("title", body.Title, Template.MaxTitleLength);
        var content = CheckContent(errors, body.Content, required: true);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (scope == TemplateScope.Project)
        {
            var role = await db.RoleAsync(body.Project!.Value, userId, ct);
            if (role is null)
            {
                return Problems.NotFound("Project not found.");
            }
            if (role < ProjectRole.Admin)
            {
                return Problems.Forbidden("Only project admins can write project templates.");
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var template = new Template
        {
            Scope = scope,
            OwnerId = scope == TemplateScope.Personal ? userId : null,
            ProjectId = scope == TemplateScope.Project ? body.Project : null,
            ShortCode = shortCode!,
            Title = title!,
            Content = content!,
            CreatedById = userId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(template);
        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        var row = await ToRows(db.Set<Template>().Where(t => t.Id == template.Id)).SingleAsync(ct);
        return TypedResults.Created($"/api/templates/{template.Id}/", row.ToDto());
    }

    public static async Task<Results<Ok<TemplateDto>, ValidationProblem, ProblemHttpResult>> Update(
        int id, UpdateTemplateRequest body, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (template, denied) = await WritableAsync(db, id, http.User.GetUserId(), ct);
        if (template is null)
        {
            return denied!;
        }
        var errors = new FieldErrors();
        var shortCode = CheckShortCode(errors, body.ShortCode, required: false);
        var title = body.Title is null ? null : errors.Required("title", body.Title, Template.MaxTitleLength);
        var content = CheckContent(errors, body.Content, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        template.ShortCode = shortCode ?? template.ShortCode;
        template.Title = title ?? template.Title;
        template.Content = content ?? template.Content;
        template.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }
        var row = await ToRows(db.Set<Template>().Where(t => t.Id == id)).SingleOrDefaultAsync(ct);
        return row is null ? Problems.NotFound(NotFound) : TypedResults.Ok(row.ToDto());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var (template, denied) = await WritableAsync(db, id, http.User.GetUserId(), ct);
        if (template is null)
        {
            return denied!;
        }
        await db.Set<Template>().Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RenderedTemplateDto>, ValidationProblem, ProblemHttpResult>> Render(
        int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        // The body is optional (nothing to fill but the caller's name), so it is read by hand.
        RenderTemplateRequest? body = null;
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType())
        {
            try
            {
                body = await http.Request.ReadFromJsonAsync<RenderTemplateRequest>(Json.Options, ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                return ProblemDetailsExceptionHandler.FieldFromJsonPath(e.Path) is { } field
                    ? Problems.Validation(field, "Invalid value or wrong type.")
                    : Problems.Validation("non_field_errors", "Malformed JSON.");
            }
        }
        else if (http.Request.ContentLength is > 0)
        {
            return TypedResults.Problem("Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported Media Type");
        }
        var content = await Visible(db, userId).Where(t => t.Id == id).Select(t => t.Content).SingleOrDefaultAsync(ct);
        if (content is null)
        {
            return Problems.NotFound(NotFound);
        }
        var me = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.FirstName, u.LastName, u.Username }).SingleAsync(ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["me.name"] = UserDto.DisplayNameOf(me.FirstName, me.LastName, me.Username),
        };

        if (body?.Room is { } roomId)
        {
            if (await db.RoomAccessAsync(roomId, userId, ct) is null)
            {
                return Problems.NotFound("Room not found.");
            }
            values["room.name"] = await RoomNameAsync(db, roomId, userId, ct);
        }
        if (body?.Ticket is { } ticketId)
        {
            if (await db.TicketAccessAsync(ticketId, userId, ct) is null)
            {
                return Problems.NotFound("Ticket not found.");
            }
            var ticket = await db.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticketId)
                .Select(t => new
                {
                    ProjectKey = t.Project.Key,
                    t.Number,
                    t.Title,
                    t.Status,
                    Assignee = t.Assignee == null ? null : new { t.Assignee.FirstName, t.Assignee.LastName, t.Assignee.Username },
                })
                .SingleAsync(ct);
            var key = $"{ticket.ProjectKey}-{ticket.Number}";
            values["ticket.key"] = key;
            values["ticket.title"] = ticket.Title;
            values["ticket.status"] = ticket.Status.ToWire();
            values["ticket.assignee"] = ticket.Assignee is null
                ? "Unassigned"
                : UserDto.DisplayNameOf(ticket.Assignee.FirstName, ticket.Assignee.LastName, ticket.Assignee.Username);
            values["ticket.url"] = TicketUrl(http.Request, key);
        }
        return TypedResults.Ok(TemplateVariables.Render(content, values));
    }

    /// <summary>The web app's page for a ticket (its /tickets/:key route), on the origin the caller used.</summary>
    public static string TicketUrl(HttpRequest request, string key) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/tickets/{Uri.EscapeDataString(key)}";

    /// <summary>The room's name as the caller sees it in the room list: a group's name, else the other people's names.</summary>
    private static async Task<string> RoomNameAsync(AppDbContext db, int roomId, int userId, CancellationToken ct)
    {
        var room = await db.Set<ChatRoom>().AsNoTracking().Where(r => r.Id == roomId).Select(r => new { r.Name, r.Type }).SingleAsync(ct);
        if (room.Type == RoomType.Group && !string.IsNullOrWhiteSpace(room.Name))
        {
            return room.Name;
        }
        var others = await db.Set<ChatParticipant>().AsNoTracking().Where(p => p.RoomId == roomId && p.UserId != userId)
            .OrderBy(p => p.Id).Take(4).Select(p => new { p.User.FirstName, p.User.LastName, p.User.Username }).ToListAsync(ct);
        var names = others.Select(o => UserDto.DisplayNameOf(o.FirstName, o.LastName, o.Username)).ToList();
        return names.Count switch
        {
            0 => room.Name ?? (room.Type == RoomType.Direct ? "Direct message" : "Group chat"),
            <= 3 => string.Join(", ", names),
            _ => $"{string.Join(", ", names.Take(3))} and more",
        };
    }

    /// <summary>The template, tracked, when the caller may change it; otherwise 404 (cannot see it) or 403 (may only read it).</summary>
    private static async Task<(Template? Template, ProblemHttpResult? Denied)> WritableAsync(AppDbContext db, int id, int userId,
        CancellationToken ct)
    {
        var template = await db.Set<Template>().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null)
        {
            return (null, Problems.NotFound(NotFound));
        }
        if (template.Scope == TemplateScope.Personal)
        {
            return template.OwnerId == userId ? (template, null) : (null, Problems.NotFound(NotFound));
        }
        var role = await db.RoleAsync(template.ProjectId!.Value, userId, ct);
        if (role is null)
        {
            return (null, Problems.NotFound(NotFound));
        }
        return role >= ProjectRole.Admin ? (template, null) : (null, Problems.Forbidden("Only project admins can change project templates."));
    }

    private static async Task<ProblemHttpResult?> SaveAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            return Problems.Conflict("short_code: This owner already has a template with this short code.");
        }
        catch (DbUpdateException)
        {
            // The project was deleted meanwhile (foreign key).
            return Problems.NotFound("Project not found.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static string? CheckShortCode(FieldErrors errors, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add("short_code", "This field is required.");
            }
            return null;
        }
        if (!ShortCodePattern().IsMatch(value))
        {
            errors.Add("short_code", "Use 1 to 32 lower-case letters, digits, '_' or '-'.");
            return null;
        }
        return value;
    }

    private static string? CheckContent(FieldErrors errors, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add("content", "This field is required.");
            }
            return null;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add("content", "This field may not be blank.");
            return null;
        }
        if (value.Length > Template.MaxContentLength)
        {
            errors.Add("content", $"Ensure this field has no more than {Template.MaxContentLength} characters.");
            return null;
        }
        return value;
    }

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex ShortCodePattern();
}

public sealed class TemplateListQuery
{
    [FromQuery(Name = "project"), System.ComponentModel.Description("Personal templates and those of this project (an id the caller is a member of).")]
    public string? Project { get; init; }

    [FromQuery(Name = "search"), System.ComponentModel.Description("Part of a template's title (case-insensitive).")]
    public string? Search { get; init; }
}
