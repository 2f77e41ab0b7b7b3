"""Auth0's log event type codes that the tenant records, each with Auth0's name for it."""

SUCCESS_LOGIN = "s"
FAILED_LOGIN = "f"
WRONG_PASSWORD = "fp"
WRONG_USERNAME = "fu"
SUCCESS_SILENT_AUTH = "ssa"
FAILED_SILENT_AUTH = "fsa"
SUCCESS_SIGNUP = "ss"
FAILED_SIGNUP = "fs"
SUCCESS_LOGOUT = "slo"
FAILED_LOGOUT = "flo"
SUCCESS_CODE_EXCHANGE = "seacft"
FAILED_CODE_EXCHANGE = "feacft"
SUCCESS_CLIENT_CREDENTIALS = "seccft"
FAILED_CLIENT_CREDENTIALS = "feccft"
SUCCESS_PASSWORD_EXCHANGE = "sepft"
FAILED_PASSWORD_EXCHANGE = "fepft"
SUCCESS_REFRESH = "sertft"
FAILED_REFRESH = "fertft"
REFRESH_REUSED = "ferrt"
SUCCESS_REFRESH_REVOCATION = "srrt"
SUCCESS_DEVICE_EXCHANGE = "sede"
FAILED_DEVICE_EXCHANGE = "fede"
FAILED_DEVICE_AUTHORIZATION = "fdeaz"
FAILED_DEVICE_ACTIVATION = "fdeac"
DEVICE_CANCELED = "fdecc"
SUCCESS_CHANGE_PASSWORD = "scp"
FAILED_CHANGE_PASSWORD = "fcp"
SUCCESS_CHANGE_PASSWORD_REQUEST = "scpr"
FAILED_CHANGE_PASSWORD_REQUEST = "fcpr"
SUCCESS_API_OPERATION = "sapi"
BLOCKED_ACCOUNT = "limit_wc"
BLOCKED_ADDRESS = "limit_mu"

# Auth0's names for these codes (its "Log Event Type Codes" reference and its published log schemas).
EVENT_NAMES = {
    SUCCESS_LOGIN: "Successful Login",
    FAILED_LOGIN: "Failed Login",
    WRONG_PASSWORD: "Failed Login - Invalid Password",
    WRONG_USERNAME: "Failed Login - Invalid username",
    SUCCESS_SILENT_AUTH: "Successful Silent Auth",
    FAILED_SILENT_AUTH: "Failed Silent Auth",
    SUCCESS_SIGNUP: "Successful Signup",
    FAILED_SIGNUP: "Failed Signup",
    SUCCESS_LOGOUT: "Successful Logout",
    FAILED_LOGOUT: "Failed Logout",
    SUCCESS_CODE_EXCHANGE: "Successful Exchange of Authorization Code for Access Token",
    FAILED_CODE_EXCHANGE: "Failed Exchange of Authorization Code for Access Token",
    SUCCESS_CLIENT_CREDENTIALS: "Successful Exchange of Access Token for a Client Credentials Grant",
    FAILED_CLIENT_CREDENTIALS: "Failed Exchange of Access Token for a Client Credentials Grant",
    SUCCESS_PASSWORD_EXCHANGE: "Successful Exchange of Password for Access Token",
    FAILED_PASSWORD_EXCHANGE: "Failed Exchange of Password for Access Token",
    SUCCESS_REFRESH: "Successful Exchange of Refresh Token for Access Token",
    FAILED_REFRESH: "Failed Exchange of Refresh Token for Access Token",
    REFRESH_REUSED: "Failed Exchange of Rotating Refresh Token",
    SUCCESS_REFRESH_REVOCATION: "Successful Refresh Token Revocation",
    SUCCESS_DEVICE_EXCHANGE: "Successful Exchange of Device Code for Access Token",
    FAILED_DEVICE_EXCHANGE: "Failed Exchange of Device Code for Access Token",
    FAILED_DEVICE_AUTHORIZATION: "Failed Device Confirmation - Request Failure",
    FAILED_DEVICE_ACTIVATION: "Failed Device Confirmation - Device Activation Failure",
    DEVICE_CANCELED: "Failed Device Confirmation - User Canceled",
    SUCCESS_CHANGE_PASSWORD: "Successful Change Password",
    FAILED_CHANGE_PASSWORD: "Failed Change Password",
    SUCCESS_CHANGE_PASSWORD_REQUEST: "Successful Change Password Request",
    FAILED_CHANGE_PASSWORD_REQUEST: "Failed Change Password Request",
    SUCCESS_API_OPERATION: "Successful API Operation",
    BLOCKED_ACCOUNT: "Blocked Account - Failed Logins",
    BLOCKED_ADDRESS: "Blocked Account - Too many attempts or signups",
}
