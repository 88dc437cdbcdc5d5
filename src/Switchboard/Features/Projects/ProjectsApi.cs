using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Projects;

public static partial class ProjectsApi
{
    public static RouteGroupBuilder MapProjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization()
            .ProducesProblem(401);

        group.MapGet("", List).WithName("projects_list").WithSummary("The caller's projects");
        group.MapPost("", Create).WithName("projects_create").WithSummary("Create a project; the creator becomes its owner")
            .ProducesValidationProblem().ProducesProblem(409);
        group.MapGet("/{id:int}", Get).WithName("projects_get").WithSummary("One project").ProducesProblem(404);
        group.MapPatch("/{id:int}", Update).WithName("projects_update").WithSummary("Change a project (owner or admin)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:int}", Delete).WithName("projects_delete").WithSummary("Delete a project and everything in it (owner)")
            .ProducesProblem(403).ProducesProblem(404);

        group.MapGet("/{id:int}/members", ListMembers).WithName("projects_members_list").WithSummary("A project's members")
            .ProducesProblem(404);
        group.MapPost("/{id:int}/members", AddMember).WithName("projects_members_add").WithSummary("Add a member (owner or admin)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPatch("/{id:int}/members/{userId:int}", UpdateMember).WithName("projects_members_update")
            .WithSummary("Change a member's role (owner or admin)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:int}/members/{userId:int}", RemoveMember).WithName("projects_members_remove")
            .WithSummary("Remove a member, or leave (owner or admin; anyone for itself)")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return group;
    }

    private sealed record ProjectRow(Project Project, User CreatedBy, ProjectRole Role, int MemberCount)
    {
        public ProjectDto ToDto() => new(Project.Id, Project.Key, Project.Name, Project.Description, UserDto.From(CreatedBy),
            Role.ToWire(), MemberCount, Project.CreatedAt, Project.UpdatedAt);
    }

    /// <summary>The caller's projects with their role and member count, in one query.</summary>
    private static IQueryable<ProjectMember> Memberships(AppDbContext db, int userId) =>
        db.ProjectMembers.AsNoTracking().Where(m => m.UserId == userId);

    private static IQueryable<ProjectRow> ToRows(IQueryable<ProjectMember> memberships) =>
        memberships.Select(m => new ProjectRow(m.Project, m.Project.CreatedBy, m.Role, m.Project.Members.Count));

    private static async Task<ProjectDto?> FindAsync(AppDbContext db, int userId, int id, CancellationToken ct) =>
        (await ToRows(Memberships(db, userId).Where(m => m.ProjectId == id)).SingleOrDefaultAsync(ct))?.ToDto();

    public static async Task<Results<Ok<Page<ProjectDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var userId = http.User.GetUserId();
        var result = await ToRows(Memberships(db, userId).OrderBy(m => m.Project.Name).ThenBy(m => m.ProjectId))
            .ToPageAsync(http.Request, page, list => list.Select(r => r.ToDto()).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Created<ProjectDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateProjectRequest body, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var key = ValidateKey(errors, body.Key, required: true);
        var name = errors.Required("name", body.Name, 200);
        var description = body.Description is null ? "" : errors.Text("description", body.Description, 10_000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (await db.Projects.AnyAsync(p => p.Key == key, ct))
        {
            return Problems.Conflict($"A project with key {key} already exists.");
        }

        var userId = http.User.GetUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        var project = new Project { Key = key!, Name = name!, Description = description ?? "", CreatedById = userId, CreatedAt = now, UpdatedAt = now };
        project.Members.Add(new ProjectMember { UserId = userId, Role = ProjectRole.Owner, JoinedAt = now });
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            return Problems.Conflict($"A project with key {key} already exists.");
        }
        var dto = await FindAsync(db, userId, project.Id, ct);
        return TypedResults.Created($"/api/projects/{project.Id}/", dto!);
    }

    public static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> Get(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var dto = await FindAsync(db, http.User.GetUserId(), id, ct);
        return dto is null ? Problems.NotFound("Project not found.") : TypedResults.Ok(dto);
    }

    public static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> Update(
        int id, UpdateProjectRequest body, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var role = await db.RoleAsync(id, userId, ct);
        if (role is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (role < ProjectRole.Admin)
        {
            return Problems.Forbidden("Only the project's owners and admins can change it.");
        }

        var errors = new FieldErrors();
        var key = body.Key is null ? null : ValidateKey(errors, body.Key, required: false);
        var name = body.Name is null ? null : errors.Text("name", body.Name, 200, allowBlank: false);
        var description = body.Description is null ? null : errors.Text("description", body.Description, 10_000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var project = await db.Projects.SingleAsync(p => p.Id == id, ct);
        if (key is not null && key != project.Key)
        {
            if (await db.Projects.AnyAsync(p => p.Key == key, ct))
            {
                return Problems.Conflict($"A project with key {key} already exists.");
            }
            project.Key = key;
        }
        project.Name = name ?? project.Name;
        project.Description = description ?? project.Description;
        project.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await FindAsync(db, userId, id, ct))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, HttpContext http, AppDbContext db,
        ProjectLifecycle lifecycle, CancellationToken ct)
    {
        var role = await db.RoleAsync(id, http.User.GetUserId(), ct);
        if (role is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (role != ProjectRole.Owner)
        {
            return Problems.Forbidden("Only the project's owners can delete it.");
        }
        await lifecycle.DeleteProjectAsync(id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<MemberDto>>, ProblemHttpResult>> ListMembers(
        [AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (await db.RoleAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var result = await db.ProjectMembers.AsNoTracking().Include(m => m.User)
            .Where(m => m.ProjectId == id)
            .OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId)
            .ToPageAsync(http.Request, page, list => list.Select(MemberDto.From).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> AddMember(
        int id, AddMemberRequest body, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var callerRole = await db.RoleAsync(id, http.User.GetUserId(), ct);
        if (callerRole is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (callerRole < ProjectRole.Admin)
        {
            return Problems.Forbidden("Only the project's owners and admins can add members.");
        }

        var errors = new FieldErrors();
        if (body.UserId is null)
        {
            errors.Add("user_id", "This field is required.");
        }
        var role = ProjectRole.Member;
        if (body.Role is not null && !ProjectRoles.TryParse(body.Role, out role))
        {
            errors.Add("role", $"\"{Truncate(body.Role)}\" is not a valid choice. Choose owner, admin, member or viewer.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == body.UserId && u.IsActive, ct);
        if (user is null)
        {
            return Problems.Validation("user_id", "No such user.");
        }
        if (role == ProjectRole.Owner && callerRole != ProjectRole.Owner)
        {
            return Problems.Forbidden("Only owners can make someone an owner.");
        }
        if (await db.ProjectMembers.AnyAsync(m => m.ProjectId == id && m.UserId == user.Id, ct))
        {
            return Problems.Conflict("This user is already a member of the project.");
        }

        var member = new ProjectMember { ProjectId = id, UserId = user.Id, User = user, Role = role, JoinedAt = clock.GetUtcNow().UtcDateTime };
        db.ProjectMembers.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            return Problems.Conflict("This user is already a member of the project.");
        }
        return TypedResults.Created($"/api/projects/{id}/members/{user.Id}/", MemberDto.From(member));
    }

    public static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> UpdateMember(
        int id, int userId, UpdateMemberRequest body, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var callerId = http.User.GetUserId();
        var callerRole = await db.RoleAsync(id, callerId, ct);
        if (callerRole is null)
        {
            return Problems.NotFound("Project not found.");
        }
        if (!ProjectRoles.TryParse(body.Role, out var role))
        {
            return body.Role is null
                ? Problems.Validation("role", "This field is required.")
                : Problems.Validation("role", $"\"{Truncate(body.Role)}\" is not a valid choice. Choose owner, admin, member or viewer.");
        }
        var member = await db.ProjectMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.ProjectId == id && m.UserId == userId, ct);
        if (member is null)
        {
            return Problems.NotFound("Member not found.");
        }
        if (callerRole < ProjectRole.Admin)
        {
            return Problems.Forbidden("Only the project's owners and admins can change roles.");
        }
        if (userId == callerId)
        {
            return Problems.Forbidden("You cannot change your own role.");
        }
        if (callerRole != ProjectRole.Owner && (member.Role == ProjectRole.Owner || role == ProjectRole.Owner))
        {
            return Problems.Forbidden("Only owners can grant or take away the owner role.");
        }
        member.Role = role;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MemberDto.From(member));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        int id, int userId, HttpContext http, AppDbContext db, ProjectLifecycle lifecycle, CancellationToken ct)
    {
        var callerId = http.User.GetUserId();
        var callerRole = await db.RoleAsync(id, callerId, ct);
        if (callerRole is null)
        {
            return Problems.NotFound("Project not found.");
        }
        var member = await db.ProjectMembers.SingleOrDefaultAsync(m => m.ProjectId == id && m.UserId == userId, ct);
        if (member is null)
        {
            return Problems.NotFound("Member not found.");
        }
        if (userId != callerId)
        {
            if (callerRole < ProjectRole.Admin)
            {
                return Problems.Forbidden("Only the project's owners and admins can remove members.");
            }
            if (member.Role == ProjectRole.Owner && callerRole != ProjectRole.Owner)
            {
                return Problems.Forbidden("Only owners can remove an owner.");
            }
        }
        if (member.Role == ProjectRole.Owner &&
            await db.ProjectMembers.CountAsync(m => m.ProjectId == id && m.Role == ProjectRole.Owner, ct) == 1)
        {
            return Problems.Conflict("The last owner cannot leave the project. Make someone else an owner first.");
        }
        await lifecycle.RemoveMemberAsync(id, userId, callerId, ct);
        return TypedResults.NoContent();
    }

    private static string? ValidateKey(FieldErrors errors, string? value, bool required)
    {
        var key = required ? errors.Required("key", value, 10, 2) : errors.Text("key", value!, 10, 2, allowBlank: false);
        if (key is not null && !KeyPattern().IsMatch(key))
        {
            errors.Add("key", "Use 2 to 10 capital letters and digits, starting with a letter (for example SUP).");
            return null;
        }
        return key;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex("^[A-Z][A-Z0-9]+$")]
    private static partial Regex KeyPattern();
}
