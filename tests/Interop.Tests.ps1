# Files and providers on a real pwsh: .env and Kubernetes round trips, an export that never
# overwrites without -Force, and a job that gets an AWS profile as the AWS CLI reads it.
# Providers look in $HOME: every test runs with a copy of the sample home folder
# (tests/Fixtures/Interop/home) as HOME, never the real one.

Describe 'Files and providers' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'secrets-home')
        New-SecretIdentity -DisplayName 'tester' -NoPassword | Out-Null

        $script:fixtures = [System.IO.Path]::Combine($PSScriptRoot, 'Fixtures', 'Interop')
        $script:homeVariable = if ($IsWindows) { 'USERPROFILE' } else { 'HOME' }
        $script:cleared = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
            'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'KUBECONFIG', 'DOCKER_CONFIG', $script:homeVariable
        $script:savedVariables = @{}
        foreach ($name in $script:cleared) {
            $script:savedVariables[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }

        $script:userHome = Join-Path $TestDrive 'user'
        Copy-Item -Path (Join-Path $script:fixtures 'home') -Destination $script:userHome -Recurse
        [Environment]::SetEnvironmentVariable($script:homeVariable, $script:userHome)
    }

    AfterAll {
        foreach ($name in $script:cleared) {
            [Environment]::SetEnvironmentVariable($name, $script:savedVariables[$name])
        }

        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    It 'a .env file comes in and goes out with the same values' {
        Import-Secret -Path (Join-Path $script:fixtures 'env/app.env') -Name 'app'
        $out = Join-Path $TestDrive 'out.env'

        $file = Export-Secret -Name 'app' -Path $out
        Import-Secret -Path $out -Name 'app-again'

        $file.Mode | Should -Be '0600'
        $a = Get-Secret -Name 'app' -AsPlainText
        $b = Get-Secret -Name 'app-again' -AsPlainText
        $a.Count | Should -Be 12
        foreach ($key in $a.Keys) { $b[$key] | Should -BeExactly $a[$key] }
        $a['MULTILINE_PEM'] | Should -BeExactly "-----BEGIN CERTIFICATE-----`nMIIBszCCAVmgAwIBAgIUFixture`n-----END CERTIFICATE-----"
    }

    It 'an export replaces a different file only with -Force, keeping a copy' {
        Set-Secret -Name 'token' -Secret @{ TOKEN = 'first' }
        $out = Join-Path $TestDrive 'token.env'
        Export-Secret -Name 'token' -Path $out | Out-Null
        Set-Secret -Name 'token' -Secret @{ TOKEN = 'second' }

        { Export-Secret -Name 'token' -Path $out -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,Secrets.Commands.ExportSecretCommand'
        Get-Content -Raw $out | Should -BeExactly "TOKEN=first`n"

        $replaced = Export-Secret -Name 'token' -Path $out -Force
        Get-Content -Raw $out | Should -BeExactly "TOKEN=second`n"
        Get-Content -Raw $replaced.Backup | Should -BeExactly "TOKEN=first`n"
    }

    It 'Kubernetes Secrets come back byte for byte, ready for kubectl apply' {
        Import-Secret -Path (Join-Path $script:fixtures 'kubernetes/list.json') -NamePrefix 'k8s'
        $manifest = 'k8s/api-keys', 'k8s/session-signing' | Export-Secret -Format Kubernetes
        $manifest | Import-Secret -NamePrefix 'again'

        $manifest | Should -Match '(?m)^kind: Secret$'
        $manifest | Should -Match '(?m)^immutable: true$'
        $original = (Get-Secret -Name 'k8s/session-signing')['key']
        $again = (Get-Secret -Name 'again/session-signing')['key']
        , $again | Should -BeOfType [byte[]]
        [Convert]::ToBase64String($again) | Should -BeExactly ([Convert]::ToBase64String($original))
        (Get-SecretInfo -Name 'again/api-keys').Metadata['kubernetes.namespace'] | Should -Be 'default'
    }

    It 'a nested value is refused naming the key, and -Values points to Import-Secret' {
        $nested = Join-Path $script:fixtures 'values/nested.yaml'
        { Import-Secret -Path $nested -Name 'n' -ErrorAction Stop } | Should -Throw -ErrorId 'NestedValue,Secrets.Commands.ImportSecretCommand' -ExpectedMessage "*line 2: the value of 'database' is a mapping*"
        $credentials = Get-Content -Raw (Join-Path $script:userHome '.aws/credentials')
        { Set-Secret -Name 'aws' -Values $credentials -ErrorAction Stop } | Should -Throw -ExpectedMessage '*Import-Secret -Format Ini -Section*'
    }

    It 'providers found in the home folder are listed with the secrets that hold them' {
        Import-SecretProvider -Provider 'aws' -Profile 'ci'

        $aws = Get-SecretProvider -Name 'aws'

        $aws.Configured | Should -BeTrue
        $aws.Source | Should -Be '~/.aws/credentials (default, ci)'
        $aws.Secrets | Should -Contain 'aws/ci'
        (Get-SecretInfo -Name 'aws/ci').Metadata['provider'] | Should -Be 'aws'
        { Import-SecretProvider -Provider 'aws' -Profile 'prod' -ErrorAction Stop } | Should -Throw -ErrorId 'ProviderProfileNotFound,Secrets.Commands.ImportSecretProviderCommand'
    }

    It 'a job with -Provider aws reads its credentials as the AWS CLI does, and they are gone afterwards' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        Import-SecretProvider -Provider 'aws' -Profile 'ci' -Name 'aws/ci'
        $script = Join-Path $script:fixtures 'jobs/aws-cli-check.sh'
        $reference = Join-Path $script:userHome '.aws/credentials'

        $lines = Invoke-WithSecrets -Provider @{ aws = 'aws/ci' } -FilePath '/bin/bash' -ArgumentList $script, $reference, 'ci', 'token'

        $lines[0] | Should -BeExactly 'profile=ci region=us-east-2'
        $lines[2] | Should -BeExactly 'secret=***'
        $LASTEXITCODE | Should -Be 0
        Test-Path -LiteralPath $lines[1].Substring('credentials='.Length) | Should -BeFalse
        $env:AWS_PROFILE | Should -BeNullOrEmpty
    }

    It 'a provider secret is written back owner-only where its tools read it' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        $fresh = Join-Path $TestDrive 'fresh'
        [Environment]::SetEnvironmentVariable($script:homeVariable, $fresh)
        try {
            $files = Export-SecretProvider -Name 'aws/ci'
            $files.Path | Should -Be @((Join-Path $fresh '.aws/credentials'), (Join-Path $fresh '.aws/config'))
            $files.Mode | Should -Be @('0600', '0600')
            Get-Content (Join-Path $fresh '.aws/config') | Should -Be @('[profile ci]', 'region = us-east-2')
        }
        finally {
            [Environment]::SetEnvironmentVariable($script:homeVariable, $script:userHome)
        }
    }
}
