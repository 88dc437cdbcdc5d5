using Switchboard.Features.Users;

namespace Switchboard.Features.Projects;

public sealed record ProjectDto(int Id, string Key, string Name, string Description, UserDto CreatedBy, string MyRole,
    int MemberCount, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record MemberDto(UserDto User, string Role, DateTime JoinedAt)
{
    public static MemberDto From(ProjectMember m) => new(UserDto.From(m.User), m.Role.ToWire(), m.JoinedAt);
}

public sealed record CreateProjectRequest(string? Key, string? Name, string? Description);
public sealed record UpdateProjectRequest(string? Key, string? Name, string? Description);
public sealed record AddMemberRequest(int? UserId, string? Role);
public sealed record UpdateMemberRequest(string? Role);
