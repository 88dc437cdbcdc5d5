using Switchboard.Features.Users;

namespace Switchboard.Features.Templates;

public sealed record TemplateDto(int Id, string Scope, int? Project, string ShortCode, string Title, string Content, UserDto CreatedBy,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed record CreateTemplateRequest(string? Scope, int? Project, string? ShortCode, string? Title, string? Content);

public sealed record UpdateTemplateRequest(string? ShortCode, string? Title, string? Content);

public sealed record RenderTemplateRequest(int? Room, int? Ticket);

public sealed record RenderedTemplateDto(string Content, IReadOnlyList<string> Missing);

/// <summary>A template as read for a response: only the columns its JSON shows.</summary>
internal sealed record TemplateRow(int Id, TemplateScope Scope, int? ProjectId, string ShortCode, string Title, string Content,
    UserRow CreatedBy, DateTime CreatedAt, DateTime UpdatedAt)
{
    public TemplateDto ToDto() => new(Id, Scope.ToWire(), ProjectId, ShortCode, Title, Content, CreatedBy.ToDto(), CreatedAt, UpdatedAt);
}
