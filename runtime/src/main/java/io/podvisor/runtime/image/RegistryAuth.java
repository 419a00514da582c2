package io.podvisor.runtime.image;

/**
 * Credentials for one registry, as a {@code kubernetes.io/dockerconfigjson} secret holds them.
 *
 * @param username      user name (may be empty when {@code identityToken} is set)
 * @param password      password or access token
 * @param identityToken a refresh token for the registry's token server, or empty
 */
public record RegistryAuth(String username, String password, String identityToken) {
    public RegistryAuth {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        identityToken = identityToken == null ? "" : identityToken;
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + "]";
    }
}
