using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>The error frame for a socket action that threw: the socket's counterpart of the exception handler.</summary>
internal static class SocketFailures
{
    public const string Unavailable = "unavailable";
    public const string ServerError = "server_error";

    public static ErrorFrame ToErrorFrame(Exception e, ClientFrame frame, int roomId, IServiceProvider services, ILogger logger)
    {
        // A failed send names its client_id, so the client knows which pending message to retry.
        var clientId = (frame as MessageSendFrame)?.ClientId;
        if (DatabaseOutage.IsUnavailable(e))
        {
            services.GetRequiredService<DatabaseOutage>().Report(e);
            return new ErrorFrame(Unavailable, "The service is briefly unavailable; nothing was changed. Try again shortly.", clientId);
        }
        logger.LogError(e, "A chat frame of type {FrameType} failed in room {RoomId}", frame.GetType().Name, roomId);
        return new ErrorFrame(ServerError, "The action failed; nothing was changed. Try again.", clientId);
    }

    public static ErrorFrame ToErrorFrame(Exception e, ClientFrame frame, int roomId, IServiceScopeFactory scopes, ILogger logger)
    {
        using var scope = scopes.CreateScope();
        return ToErrorFrame(e, frame, roomId, scope.ServiceProvider, logger);
    }
}
