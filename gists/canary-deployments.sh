# Canary Deployments With Flagger
#
# The commands of the chapter "Canary Deployments With Flagger" (docs/canary-deployments.md).
#
# Create a cluster first with the setup Gist of your variant:
# - gke-static: gke-jx-gloo.sh (https://gist.github.com/bookrun-example/1f6b3e1c2d7a4b8c9e0f1a2b3c4d5e6f)
# - gke-serverless: gke-jx-serverless-gloo.sh (https://gist.github.com/bookrun-example/2a7c4f2d3e8b5c9d0f1a2b3c4d5e6f70)
# - eks-static: eks-jx-gloo.sh (not published yet)
# - eks-serverless: eks-jx-serverless-gloo.sh (not published yet)
# - aks-static: aks-jx-gloo.sh (not published yet)
# - aks-serverless: aks-jx-serverless-gloo.sh (not published yet)
# - existing-static: install-gloo.sh (not published yet)
# - existing-serverless: install-serverless-gloo.sh (not published yet)

#####################################
# Creating A Cluster With Jenkins X #
#####################################

# If already cloned
cd go-demo-6

git pull

git checkout canary-start

git merge -s ours master --no-edit

git checkout master

git merge canary-start

git push

cd ..

################################
# Installing Istio And Flagger #
################################

jx create addon istio \
    --version 1.1.7

jx create addon flagger

# If NOT EKS
ISTIO_IP=$(kubectl \
    --namespace istio-system \
    get service istio-ingressgateway \
    --output jsonpath='{.status.loadBalancer.ingress[0].ip}')

# If EKS
ISTIO_HOST=$(kubectl \
    --namespace istio-system \
    get service istio-ingressgateway \
    --output jsonpath='{.status.loadBalancer.ingress[0].hostname}')

# If EKS
export ISTIO_IP="$(dig +short $ISTIO_HOST \
    | tail -n 1)"

echo $ISTIO_IP

# If AKS or EKS
kubectl label namespace jx-production \
    istio-injection=enabled \
    --overwrite

# If serverless
jx create webhook \
    --git-provider-url https://github.com \
    --batch-mode

# If EKS or AKS
kubectl --namespace istio-system \
    get pods --watch

#######################
# Defining The Canary #
#######################

cd go-demo-6

cat > charts/go-demo-6/templates/canary.yaml <<'EOF'
{{- if .Values.canary.enable }}
apiVersion: flagger.app/v1alpha3
kind: Canary
metadata:
  name: {{ template "fullname" . }}
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ template "fullname" . }}

  canaryAnalysis:
    interval: {{ .Values.canary.analysis.interval }}
    threshold: {{ .Values.canary.analysis.threshold }}
{{- end }}
EOF

echo "
canary:
  enable: true
  analysis:
    interval: 30s

    threshold: 5
" | tee -a charts/go-demo-6/values.yaml

git add .

git commit \
    -m "Added the canary"

git push

jx get activities \
    --filter go-demo-6 \
    --watch

######################
# Promoting A Canary #
######################

jx get applications --env staging

VERSION=[...]

# Open a second terminal session
# Go to the second terminal session
ISTIO_IP=$(kubectl \
    --namespace istio-system \
    get service istio-ingressgateway \
    --output jsonpath='{.status.loadBalancer.ingress[0].ip}')

while true; do
    curl "go-demo-6.$ISTIO_IP.nip.io/demo/hello"
    sleep 0.5
done

# Go back to the first terminal session
jx promote go-demo-6 \
    --version $VERSION \
    --env production \
    --batch-mode

curl "go-demo-6.$ISTIO_IP.nip.io/demo/hello"

# Repeat if `no healthy upstream`

kubectl --namespace jx-production \
    get canaries

kubectl --namespace istio-system logs \
    --selector app.kubernetes.io/name=flagger \
    --follow

# After a few minutes
kubectl --namespace jx-production \
    get virtualservice jx-go-demo-6 \
    --output yaml

##############################
# Rolling Back Automatically #
##############################

# Go to the second terminal session
for i in {1..500}; do
    curl "go-demo-6.$ISTIO_IP.nip.io/demo/random-error"
done

# Go back to the first terminal session
# Wait until the canary fails
kubectl --namespace jx-production \
    describe canary jx-go-demo-6

#############
# What Now? #
#############

cd ..

export GH_USER=[...]

# If static
hub delete -y \
  $GH_USER/environment-jx-rocks-production

# If serverless
hub delete -y \
  $GH_USER/environment-tekton-production

rm -rf go-demo-6
