@{
    Synopsis    = 'Creates an ECP cluster of one data server and N application servers with TLS, on a Docker engine, or writes it as a compose project or as files for the InterSystems Kubernetes Operator.'
    Description = @'
New-IrisEcpCluster plans the whole cluster once, from its arguments, and then either creates it on a Docker engine or, with -OutputPath, writes it out as a compose project. It replaces the usual certificate script, envsubst templates and compose file, and the loop some setups use that accepts any pending ECP client for a while.

Every node is configured by a merge file rendered through the IrisOps CPF model (ISC_CPF_MERGE_FILE). The InterSystems Scalability Guide ("ECP security") lists three requirements for ECP over TLS, and the data server's merge file meets all three:
1. Superserver clients may use TLS: a server TLS configuration (IrisOpsSuperserver) and the default superserver (port 1972, empty bind address) set to SSL/TLS support level Enabled with it (ModifyServer:Port=1972,BindAddress="",SSLSupportLevel=1,SSLConfig=IrisOpsSuperserver). Enabled, not Required, so non-TLS superserver clients such as the Web Gateway keep working.
2. Both sides have an ECP TLS configuration: %ECPServer on the data server (Type=1, VerifyPeer=3: a client certificate is required) with ECP TLS required (ModifySystem:Name=SYSTEM,SSLECPServer=2); %ECPClient on each application server (Type=0, VerifyPeer=1: it verifies the data server's certificate), and the data server declared with CreateECPServer and SSLConfig=1.
3. Each application server is authorized on the data server: Execute of SYS.ECP.AddAuthorizedCN with the full Subject Distinguished Name read from that application server's own certificate, in the manual's form (RDNs from CN outwards, joined by ", ", e.g. "CN=app-1, OU=Ops, O=Acme, C=US"). A certificate whose subject has no documented rendering (a value with a comma, quote, backslash, +, ;, <, >, =, # or /; a multi-valued RDN; an attribute other than CN, OU, O, L, ST, C, DC; a CN that is not the last RDN) is refused before anything is created.
The data server also gets MaxServerConn equal to the number of application servers, %Service_ECP enabled with ClientSystems listing the application servers' fixed addresses, and the shared database on durable storage. Each application server also gets MaxServers, the remote database (Server=..., LogicalOnly=1), -Namespace created (CreateNamespace, unless it is USER or %SYS, which every instance has) and the global mappings: ^IrisOpsEcpProbe (used by Test-IrisEcpCluster) and each -GlobalMapping.

Addresses: every node gets a fixed IPv4 address (.2 for the data server, the application servers after it), because ClientSystems and the ECP server entry are documented to take IP addresses, fully-qualified names or ranges, and how a container alias would match is not documented. Without -Subnet a free /24 of 172.28.0.0/14 is chosen (a network the cluster already has keeps its subnet); a -Subnet that overlaps another network on the engine is refused.

Release: the configuration follows the manuals for InterSystems IRIS 2025.3 and later, where SYS.ECP.AddAuthorizedCN, the ModifyServer action and Key="" in merge files are documented; older class references (2023.1) have no AddAuthorizedCN. Run examples/verify-on-iris.ps1 on your licensed image once to see it work there.

Containers: durable %SYS (ISC_DATA_DIRECTORY) on a named volume per node, or on a host folder per node under -DurablePath, given to the IRIS user (uid 51773) before the first start by a one-shot root container from the same image, because an empty volume belongs to root and IRIS fails on it with ERROR #5001. The same container copies each node's CA certificate, own certificate and own key into a TLS volume per node (<container>-tls) and the license into the cluster's license volume (<name>-license), owned by the IRIS user with owner-only keys; each node mounts its TLS volume and the license volume read-only, and the license is passed with --key. The files IrisOps writes in the cluster folder stay owned by you (the container reads them through a read-only mount), so a user in the docker group who is not root can remove and re-create the cluster; the only host paths given to the IRIS user are the -DurablePath folders, which IRIS must write. Each has its host name and network alias, the labels irisops.cluster and irisops.role (and what Get-IrisEcpCluster needs to rebuild the cluster), init, restart policy unless-stopped and a stop timeout of 330 seconds, longer than IRIS's default ShutdownTimeout of 300 seconds.

The image is checked (also under -WhatIf), the network and volumes are created, the one-shot root container prepares durable storage and the TLS and license volumes, then every node is created and started in parallel (an application server retries its ECP connection every [ECP] ClientReconnectInterval seconds until the data server answers), and the cmdlet waits with Write-Progress until every node is healthy. If anything fails, or you press Ctrl+C, it removes what this call created (never a pre-existing network or volume, never durable data that existed before) and reports the failure with the last lines of the failing container's log.

Running it again with the same arguments changes nothing and returns the existing cluster. Other arguments for an existing cluster name are an error that points to Remove-IrisEcpCluster and Update-IrisApplicationImage.

Without -CertificateSet, a certificate set for the node host names (<name>-data, <name>-app-1, ...) is generated into the cluster folder and reused by later runs.

Kubernetes (-OutputPath with -Format Kubernetes): the same plan is written as the files of an IrisCluster for the InterSystems Kubernetes Operator (Using the InterSystems Kubernetes Operator), applied with kubectl apply -k <folder>: iriscluster.yaml (apiVersion intersystems.com/v1alpha1; topology.data is the data server with -Image, compatibilityVersion and storageDB; topology.compute the application servers, replicas = -ApplicationServerCount; licenseKeySecret, configSource and tls.ecp and tls.superserver name the files below), configmap.yaml (the configSource: common.cpf, data.cpf and compute.cpf), license-secret.yaml (the license as iris.key), ecp-tls-secret.yaml and superserver-tls-secret.yaml (the data server's certificate, its key and the CA as tls.crt, tls.key and ca.pem, Opaque Secrets) and kustomization.yaml. The three Secret files hold the key material and are readable by you only (mode 0600, or an owner-only ACL on Windows); no other file written there holds it (only the cluster's own certificate set in certificates/, generated there when no -CertificateSet is given, as for the other targets), and none of it is written to the log. The output is deterministic: the same arguments give the same bytes.
The merge files are rendered through the CPF model from the node merge files above, minus what the operator configures itself and overrides in configSource files: ECP between the data node and the compute nodes (CreateECPServer, %Service_ECP, MaxServerConn and MaxServers, SYS.ECP authorization) and the TLS of ECP and the superserver, which it builds from spec.tls (CreateSSLConfig, ModifyServer, SSLECPServer). A warning names every setting left out, and another names a database directory that belongs to the Docker layout, so you can check it against the volume the operator mounts.
compatibilityVersion: the operator configures the nodes for this release, and without it assumes its own default release, so a newer image can fail on a setting the older release does not know. IrisOps always writes it: from the image's version tag (2025.3 gives 2025.3.0, 2024.1.0.263.0 gives 2024.1.0), or -CompatibilityVersion. An image tag without a release (latest, 1.5) is refused unless -CompatibilityVersion is given.
The operator documents no names for the keys inside the TLS secrets; check tls.crt, tls.key and ca.pem against the documentation of your operator version (kubectl explain iriscluster.spec.tls on a cluster where it is installed). spec.tls takes one secret per feature for all nodes, so both secrets carry the data server's certificate (issued for server authentication by New-IrisCertificateSet); if your operator version presents that certificate from the compute nodes as ECP clients, issue a certificate for both purposes and give it in the secret instead. IrisOps does not install the operator and does not create the Kubernetes cluster; the cluster's merge files, certificates and license are what it brings.
'@
    Parameters  = @{
        Name                   = 'The cluster name: 1 to 40 lowercase letters, digits and hyphens. It prefixes the container, volume and network names.'
        Image                  = 'The IRIS image every node runs, for example containers.intersystems.com/intersystems/iris:2025.1. It must already be on the engine (docker pull it first). ECP needs a licensed, non-Community image.'
        ApplicationServerCount = 'How many application servers (1 to 254). With -CertificateSet and without this parameter, the number of application server certificates in the set. Default 2.'
        LicenseKeyPath         = 'The iris.key license file. A copy is mounted read-only into every node and passed with --key.'
        CertificateSet         = 'TLS material from New-IrisCertificateSet (by pipeline): exactly one data server certificate and one application server certificate per node; their host names become the node host names. Keys must not be encrypted, because IRIS reads them at startup.'
        Database               = 'The shared database on the data server, used remotely by the application servers. Default: myappdata.'
        Namespace              = 'The namespace on the application servers that gets the global mappings; created there (CreateNamespace, globals and routines in the shared database) unless it is USER or %SYS. Default: USER.'
        GlobalMapping          = 'Globals mapped to the shared database in -Namespace on the application servers, for example ''demo.*''.'
        Subnet                 = 'The IPv4 subnet of the cluster network in CIDR form, for example 172.30.0.0/24. The data server gets the second address and the application servers the following ones. Without it a free /24 of 172.28.0.0/14 is chosen on the engine (with -OutputPath: one derived from the cluster name). A subnet another network on the engine overlaps is refused.'
        DurablePath            = 'A host folder with one subfolder per node for durable %SYS. The subfolders are given to the IRIS user (uid 51773), which IRIS needs to write them, so only Remove-IrisEcpCluster -RemoveData (through a root container) or root can delete them; -WhatIf names them. Without it, each node gets a named volume <container>-durable.'
        PublishPort            = 'Publishes the data server''s superserver port 1972 on 127.0.0.1 at this host port.'
        ClusterPath            = 'The host folder for the node merge files, the TLS and license copies and a generated certificate set. Default: IrisOps/clusters/<name> in the local application data folder.'
        Force                  = 'With -OutputPath: writes the compose project, or the Kubernetes files, again over the ones IrisOps wrote for this cluster before. Without it an existing file is refused and nothing is written.'
        Format                 = 'What -OutputPath writes: Compose (the default: a compose project) or Kubernetes (an IrisCluster for the InterSystems Kubernetes Operator, its ConfigMap and Secrets, and a kustomization.yaml). Needs -OutputPath.'
        StorageClass           = 'With -Format Kubernetes: the storage class of the data node''s database volume (topology.data.storageDB.storageClassName). Without it the platform''s default storage class is used.'
        DataStorageSize        = 'With -Format Kubernetes: the size of the data node''s database volume, a Kubernetes quantity such as 10Gi or 500Mi (topology.data.storageDB). Default 10Gi.'
        CompatibilityVersion   = 'With -Format Kubernetes: the IRIS release the operator configures the nodes for, year.minor.patch such as 2025.3.0. Without it, it is taken from the image tag; a tag that names no release is refused.'
        OutputPath             = 'Writes the cluster to this folder instead of touching an engine. With -Format Compose (the default): docker-compose.yml, the node merge files, the TLS and license copies, and a README.txt; start it with docker-compose -p <name> up -d (or docker compose). With -Format Kubernetes: the IrisCluster files described above; apply them with kubectl apply -k <folder>. Existing files that IrisOps wrote for this cluster are replaced only with -Force; ones it did not write (another docker-compose.yml or kustomization.yaml) are always refused. -WhatIf lists the files and writes nothing.'
        HealthTimeout          = 'Seconds to wait for every node to become healthy before the creation is rolled back. Default 300.'
        StopTimeout            = 'The stop timeout of every node in seconds. Default 330, longer than IRIS''s default ShutdownTimeout (300 s), so docker stop never kills IRIS mid-shutdown.'
        DockerHost             = 'The Docker engine, as the docker CLI takes it (unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://host:2376). Default: DOCKER_HOST, then the current docker context, then the platform default. TLS comes from DOCKER_CERT_PATH and DOCKER_TLS_VERIFY.'
    }
    Examples    = @(
        @{
            Title   = 'A data server and two application servers with their own certificates'
            Code    = @'
New-IrisCertificateSet -Path ./tls -DataServer data-server -ApplicationServer app-1, app-2 -Organization Example |
    New-IrisEcpCluster -Name demo -Image containers.intersystems.com/intersystems/iris:2025.1 -LicenseKeyPath ~/iris.key -GlobalMapping 'demo.*'
'@
            Remarks = 'The certificate set feeds the cluster by pipeline; the host names data-server, app-1 and app-2 become the node host names, and the data server pre-authorizes the Subject DNs read from their certificates, CN=app-1, O=Example and CN=app-2, O=Example.'
        }
        @{
            Title   = 'Durable data in host folders, a fixed subnet and the superserver published'
            Code    = 'New-IrisEcpCluster -Name prod -Image iris-app:1.4 -ApplicationServerCount 3 -LicenseKeyPath C:\Iris\iris.key -DurablePath D:\IrisData -Subnet 172.30.0.0/24 -PublishPort 1972'
            Remarks = 'Each node keeps durable %SYS in D:\IrisData\<host>; a certificate set is generated into the cluster folder.'
        }
        @{
            Title   = 'Write a compose project instead'
            Code    = 'New-IrisEcpCluster -Name demo -Image iris-app:1.4 -LicenseKeyPath ./iris.key -OutputPath ./demo-cluster'
            Remarks = 'Writes docker-compose.yml and everything it mounts to ./demo-cluster; start it there with docker-compose -p demo up -d.'
        }
        @{
            Title   = 'Write the files for the InterSystems Kubernetes Operator'
            Code    = @'
New-IrisEcpCluster -Name demo -Image containers.intersystems.com/intersystems/iris:2025.3 -LicenseKeyPath ./iris.key -ApplicationServerCount 3 `
    -OutputPath ./demo-k8s -Format Kubernetes -StorageClass fast-ssd -DataStorageSize 50Gi
kubectl apply -k ./demo-k8s
'@
            Remarks = 'Writes an IrisCluster with one data node and three compute nodes (compatibilityVersion 2025.3.0, from the image tag), its ConfigMap, the license and TLS Secrets (owner-only files) and kustomization.yaml. The operator must already be installed in the Kubernetes cluster.'
        }
        @{
            Title   = 'See what would be created'
            Code    = 'New-IrisEcpCluster -Name demo -Image iris-app:1.4 -LicenseKeyPath ./iris.key -WhatIf'
            Remarks = 'Validates the arguments and lists the network, containers, storage and files, without changing anything.'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Certificates.IrisCertificateSet'; Description = 'The TLS material of the cluster, from New-IrisCertificateSet.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'The cluster: Name, Network, DataServer, ApplicationServers; each node with Name, Role, HostName, ContainerId, IPAddress, Image, State, Health, Ports. Feeds Test-IrisEcpCluster, Remove-IrisEcpCluster and Update-IrisApplicationImage.' }
        @{ Type = 'IrisOps.Core.Compose.IrisComposeProject'; Description = 'With -OutputPath: the project folder, its compose file, the services and the command that starts it.' }
        @{ Type = 'IrisOps.Core.Kubernetes.IrisKubernetesProject'; Description = 'With -OutputPath -Format Kubernetes: the folder, the IrisCluster file, every file written, the compatibilityVersion and the kubectl command that applies them.' }
    )
    Notes       = 'Licensed IRIS images since 2023.2 have no web server: add a Web Gateway container (intersystems/webgateway) for the Management Portal. The stop timeout matters: docker''s default 10 seconds would kill IRIS before a clean shutdown.'
    Links       = @('Get-IrisEcpCluster', 'Test-IrisEcpCluster', 'Remove-IrisEcpCluster', 'New-IrisCertificateSet', 'about_IrisOps')
}
