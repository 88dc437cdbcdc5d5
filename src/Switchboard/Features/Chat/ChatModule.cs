using Switchboard.Features.Chat.Attachments;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Receipts;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Chat.Threads;
using Switchboard.Features.Projects;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat;

public static class ChatModule
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddScoped<ChatService>();
        services.AddScoped<MessagePins>();
        services.AddScoped<ISocketRooms, SocketRooms>();
        services.AddScoped<RoomUserFrames>();
        services.AddSingleton<ISocketFrameHandler, ChatSocketHandler>();
        services.AddScoped<RoomQueries>();
        services.AddScoped<MessageEffects>();
        services.AddScoped<ReadMarks>();
        services.AddSingleton<ReadReceipts>();
        services.AddSingleton<IPresenceLookup, SocketPresenceLookup>();
        services.AddScoped<IMemberRemovalStep, ChatMemberRemoval>();
        services.AddSingleton<MessageMapper>();
        services.AddSingleton<AttachmentLinks>();
        services.AddSingleton<Thumbnails>();
        return services;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder routes)
    {
        routes.MapChatRooms();
        routes.MapChatMessages();
        routes.MapChatMessageExtras();
        routes.MapChatAttachments();
        routes.MapChatReceipts();
        routes.MapChatThreads();
        return routes;
    }
}
