using Switchboard.Features.Users;

namespace Switchboard.Features.Tickets;

public sealed record TicketDto(int Id, int Project, string Key, int Number, string Title, string Description, string Status,
    string Priority, string Type, UserDto Reporter, UserDto? Assignee, IReadOnlyList<string> Labels, DateOnly? DueDate,
    int CommentCount, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ResolvedAt, SourceMessageDto? SourceMessage = null,
    DiscussionDto? Discussion = null);

/// <summary>The chat message a ticket was made from (it may have been deleted since).</summary>
public sealed record SourceMessageDto(int Id, int Room);

/// <summary>The thread that is the ticket's discussion.</summary>
public sealed record DiscussionDto(int Room, int RootId);

public sealed record CommentDto(int Id, int Ticket, UserDto Author, string Body, DateTime CreatedAt, DateTime UpdatedAt, bool IsEdited)
{
    public static CommentDto From(TicketComment c) =>
        new(c.Id, c.TicketId, UserDto.From(c.Author), c.Body, c.CreatedAt, c.UpdatedAt, c.IsEdited);
}

public sealed record HistoryEntryDto(long Id, UserDto Actor, string Field, string? OldValue, string? NewValue, DateTime CreatedAt)
{
    public static HistoryEntryDto From(TicketHistoryEntry h) =>
        new(h.Id, UserDto.From(h.Actor), h.Field, h.OldValue, h.NewValue, h.CreatedAt);
}

public sealed record AttachmentDto(int Id, string FileName, long FileSize, string ContentType, string Url, string? ThumbnailUrl,
    UserDto UploadedBy, DateTime CreatedAt);

public sealed record CommentRequest(string? Body);

/// <summary>A ticket with everything its JSON needs, read in one query.</summary>
internal sealed record TicketRow(Ticket Ticket, string ProjectKey, UserRow Reporter, UserRow? Assignee, List<string> Labels,
    SourceMessageDto? Source = null, DiscussionDto? Discussion = null)
{
    public TicketDto ToDto() => new(Ticket.Id, Ticket.ProjectId, $"{ProjectKey}-{Ticket.Number}", Ticket.Number, Ticket.Title,
        Ticket.Description, Ticket.Status.ToWire(), Ticket.Priority.ToWire(), Ticket.Type.ToWire(), Reporter.ToDto(),
        Assignee?.ToDto(), Labels, Ticket.DueDate, Ticket.CommentCount, Ticket.CreatedAt, Ticket.UpdatedAt, Ticket.ResolvedAt, Source, Discussion);
}
